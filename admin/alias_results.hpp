// The flattener's results as apexd last saved them (alias_state: one row per target and
// address family), looked up by target. apexctl only reads them: "alias status" shows them,
// "zone export --flatten" writes their addresses.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/alias_store.hpp"
#include "zones/name.hpp"
#include "zones/rrtype.hpp"

namespace apex::admin {

class AliasResults {
 public:
  explicit AliasResults(std::vector<storage::AliasTargetRow> rows);

  // The row of target (any case) and family (RRType::A or AAAA), or nullptr: no result yet.
  const storage::AliasTargetRow* find(const Name& target, RRType family) const;

 private:
  std::vector<storage::AliasTargetRow> rows_;
  // (lower-cased wire form of the target, family) -> index in rows_
  std::map<std::pair<std::string, std::uint16_t>, std::size_t> index_;
};

// What an alias's owner is answered for one family, as far as the saved row tells (apexd
// leaves out addresses that fail their health check on top of this, from live probes).
struct ServedAnswer {
  enum class Kind { kAddresses, kFallback, kNoData, kServFail };
  Kind kind = Kind::kServFail;
  // kAddresses: the saved ones (fresh or stale); kFallback: the owner's of the family.
  std::vector<std::string> addresses;
  // min(ALIAS TTL, the TTL apexd serves them with: the stale TTL while stale or for
  // fallbacks); absent when no addresses are served or the TTL is not known.
  std::optional<std::uint32_t> ttl;
};

// row: the target's saved family (nullptr: none yet, SERVFAIL). fallback: the alias's stored
// fallback list (both families). A failed family is answered with the fallbacks of the
// family, NODATA when the alias has fallbacks of the other family only, else SERVFAIL.
ServedAnswer served_answer(const storage::AliasTargetRow* row, RRType family,
                           std::uint32_t alias_ttl, std::string_view fallback);
// "addresses", "fallback", "nodata", "servfail".
std::string_view to_text(ServedAnswer::Kind kind);

// The state word of a family as the flattener saved it (fresh, stale, negative, failed,
// pending); "pending" when there is no row.
std::string_view state_word(const storage::AliasTargetRow* row);
// fresh and stale: the saved addresses are what is served.
bool serves_addresses(std::string_view state);

}  // namespace apex::admin
