// The flattener's saved results, by target and family.
#include "admin/alias_results.hpp"

namespace apex::admin {

AliasResults::AliasResults(std::vector<storage::AliasTargetRow> rows) : rows_(std::move(rows)) {
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const std::string key(rows_[i].target.lowercased().wire_view());
    index_.emplace(std::pair(key, rows_[i].family), i);
  }
}

const storage::AliasTargetRow* AliasResults::find(const Name& target, RRType family) const {
  auto it = index_.find(
      std::pair(std::string(target.lowercased().wire_view()), static_cast<std::uint16_t>(family)));
  return it == index_.end() ? nullptr : &rows_[it->second];
}

std::string_view state_word(const storage::AliasTargetRow* row) {
  return row == nullptr ? std::string_view("pending") : std::string_view(row->state);
}

bool serves_addresses(std::string_view state) {
  return state == "fresh" || state == "stale";
}

}  // namespace apex::admin
