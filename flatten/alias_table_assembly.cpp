// The ALIAS answer table from target and owner results (ARCHITECTURE.md §3.5, §5).
#include "flatten/alias_table_assembly.hpp"

#include <set>
#include <string>
#include <unordered_map>

#include "zones/record.hpp"

namespace apex::flatten {
namespace {

std::string key_of(const Name& name) {
  return std::string(name.lowercased().wire_view());
}

}  // namespace

AliasTargetChange target_change(const TargetState& target,
                                const std::vector<const AliasSpec*>& aliases,
                                const HealthLookup& healthy, const FlattenPolicy& policy) {
  AliasTargetChange change{target.target, target_result(target, policy), {}};
  std::set<std::string> owners;
  for (const AliasSpec* alias : aliases) {
    // Only fallback addresses and health checks give an owner its own result (owner_family);
    // skipping the rest first keeps a publication cheap with many plain aliases.
    if (!alias->has_fallback() && !alias->health_tcp_port) continue;
    if (!owners.insert(key_of(alias->owner)).second) continue;
    if (auto own = owner_result(*change.result, target, *alias, healthy, policy))
      change.owners.push_back({alias->owner, target.target, std::move(*own)});
  }
  return change;
}

Result<AliasTablePtr> assemble_alias_table(const std::vector<const TargetState*>& targets,
                                           const std::vector<AliasSpec>& aliases,
                                           const HealthLookup& healthy,
                                           const FlattenPolicy& policy) {
  std::unordered_map<std::string, std::vector<const AliasSpec*>> by_target;
  for (const AliasSpec& alias : aliases) by_target[key_of(alias.target)].push_back(&alias);
  std::vector<AliasTargetChange> changes;
  changes.reserve(targets.size());
  for (const TargetState* t : targets)
    changes.push_back(target_change(*t, by_target[key_of(t->target)], healthy, policy));
  return AliasTable().with_changes(std::move(changes));
}

}  // namespace apex::flatten
