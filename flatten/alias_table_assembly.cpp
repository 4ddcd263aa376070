// The ALIAS answer table from target and owner results (ARCHITECTURE.md §3.5, §5).
#include "flatten/alias_table_assembly.hpp"

#include <string>
#include <unordered_map>

#include "zones/record.hpp"

namespace apex::flatten {
namespace {

std::string key_of(const Name& name) {
  return std::string(name.lowercased().wire_view());
}

}  // namespace

Result<AliasTablePtr> assemble_alias_table(const std::vector<const TargetState*>& targets,
                                           const std::vector<AliasSpec>& aliases,
                                           const HealthLookup& healthy,
                                           const FlattenPolicy& policy) {
  std::vector<AliasTargetEntry> target_entries;
  target_entries.reserve(targets.size());
  std::unordered_map<std::string, std::size_t> index;  // key -> position in both vectors
  for (const TargetState* t : targets) {
    index.emplace(key_of(t->target), target_entries.size());
    target_entries.push_back({t->target, target_result(*t, policy)});
  }
  std::vector<AliasOwnerEntry> owner_entries;
  for (const AliasSpec& alias : aliases) {
    // Only fallback addresses and health checks give an owner its own result (owner_family);
    // skipping the rest first keeps a publication cheap with many plain aliases.
    if (!alias.has_fallback() && !alias.health_tcp_port) continue;
    auto it = index.find(key_of(alias.target));
    if (it == index.end()) continue;
    const TargetState& state = *targets[it->second];
    const AliasResult& base = target_entries[it->second].result;
    if (auto own = owner_result(base, state, alias, healthy, policy))
      owner_entries.push_back({alias.owner, alias.target, std::move(*own)});
  }
  return AliasTable::build(std::move(target_entries), std::move(owner_entries));
}

}  // namespace apex::flatten
