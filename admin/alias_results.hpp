// The flattener's results as apexd last saved them (alias_state: one row per target and
// address family), and what they make an alias serve. apexctl only reads them: "alias
// status" shows them, "zone export --flatten" writes their addresses; both decide what is
// served with apexd's own decision (flatten/served_alias.hpp).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "admin/alias_inventory.hpp"
#include "flatten/flatten_policy.hpp"
#include "flatten/served_alias.hpp"
#include "flatten/state_store.hpp"
#include "storage/alias_store.hpp"
#include "zones/name.hpp"
#include "zones/rrtype.hpp"

namespace apex::admin {

class AliasResults {
 public:
  explicit AliasResults(std::vector<storage::AliasTargetRow> rows);

  // The row of target (any case) and family (RRType::A or AAAA), or nullptr: no result yet.
  const storage::AliasTargetRow* find(const Name& target, RRType family) const;
  // The target's state as apexd loads it from these rows (flatten::from_row). A family
  // without a row is pending, and so is one whose row cannot be read (unreadable()).
  flatten::TargetState state_of(const Name& target) const;
  // Why the saved row of target and family cannot be read; "" when it can or there is none.
  std::string unreadable(const Name& target, RRType family) const;
  // The stale TTL apexd served the target's addresses or fallbacks with when it saved a
  // family stale or failed (the row's served TTL then); nullopt when no row says.
  std::optional<std::chrono::seconds> saved_stale_ttl(const Name& target) const;

 private:
  std::vector<storage::AliasTargetRow> rows_;
  // (lower-cased wire form of the target, family) -> index in rows_
  std::map<std::pair<std::string, std::uint16_t>, std::size_t> index_;
};

// What an alias's owner is answered for one family (apexd leaves out addresses that fail
// their health check on top of this, from live probes it does not save).
struct ServedAnswer {
  enum class Kind { kAddresses, kFallback, kNoData, kServFail };
  Kind kind = Kind::kServFail;
  // kAddresses: the target's (fresh or stale); kFallback: the alias's of the family.
  std::vector<std::string> addresses;
  // min(ALIAS TTL, the TTL apexd serves them with); absent when no addresses are served.
  std::optional<std::uint32_t> ttl;
  bool stale = false;  // last-known-good addresses served past their time (RFC 8767)
  // What flatten::served_family decided, TTL before the ALIAS TTL caps it.
  AliasFamilyResult result;
};

// flatten::served_family for the alias, over its target's saved state, its settings and
// policy (the [flatten] keys of apexctl's configuration), every address counted healthy.
// The stale TTL is the one apexd saved with the target when it did (saved_stale_ttl): apexd
// may run with another configuration or flags.
ServedAnswer served_answer(const AliasEntry& alias, RRType family, const AliasResults& results,
                           const flatten::FlattenPolicy& policy);
// "addresses", "fallback", "nodata", "servfail".
std::string_view to_text(ServedAnswer::Kind kind);

// The state word of a family as the flattener saved it (fresh, stale, negative, failed,
// pending); "pending" when there is no row.
std::string_view state_word(const storage::AliasTargetRow* row);

}  // namespace apex::admin
