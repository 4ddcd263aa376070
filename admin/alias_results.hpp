// The flattener's results as apexd last saved them (alias_state: one row per target and
// address family), looked up by target. apexctl only reads them: "alias status" shows them,
// "zone export --flatten" writes their addresses.
#pragma once

#include <map>
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

// The state word of a family as the flattener saved it (fresh, stale, negative, failed,
// pending); "pending" when there is no row.
std::string_view state_word(const storage::AliasTargetRow* row);
// fresh and stale: the saved addresses are what is served.
bool serves_addresses(std::string_view state);

}  // namespace apex::admin
