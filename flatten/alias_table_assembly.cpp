// Target and owner results for the ALIAS answer table (ARCHITECTURE.md §5: stale, fallback,
// health).
#include "flatten/alias_table_assembly.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>

#include "zones/record.hpp"

namespace apex::flatten {
namespace {

std::uint32_t stale_ttl(const FlattenPolicy& policy) {
  return stale_ttl_seconds(policy.stale_ttl);
}

const std::vector<Address>& fallbacks_of(const AliasSpec& alias, RRType family) {
  return family == RRType::AAAA ? alias.fallback_aaaa : alias.fallback_a;
}

AliasFamilyResult fallback_result(const AliasSpec& alias, RRType family,
                                  const FlattenPolicy& policy) {
  const auto& fallbacks = fallbacks_of(alias, family);
  if (fallbacks.empty()) return AliasFamilyResult::no_data();
  return AliasFamilyResult::with_addresses(family, stale_ttl(policy), fallbacks);
}

std::vector<Address> healthy_subset(const std::vector<Address>& addresses, std::uint16_t port,
                                    const HealthLookup& healthy) {
  std::vector<Address> subset;
  for (const auto& address : addresses)
    if (healthy(address, port)) subset.push_back(address);
  return subset;
}

std::optional<AliasFamilyResult> health_filtered(const AliasFamilyResult& base,
                                                 const TargetState::Family& state,
                                                 const AliasSpec& alias, RRType family,
                                                 const HealthLookup& healthy,
                                                 const FlattenPolicy& policy) {
  auto subset = healthy_subset(state.addresses, *alias.health_tcp_port, healthy);
  if (subset.size() == state.addresses.size()) return std::nullopt;
  if (!subset.empty())
    return AliasFamilyResult::with_addresses(family, base.addresses.ttl, subset, base.stale);
  if (policy.health_fail_open || fallbacks_of(alias, family).empty()) return std::nullopt;
  return fallback_result(alias, family, policy);
}

std::optional<AliasFamilyResult> owner_family(const AliasFamilyResult& base,
                                              const TargetState& target, const AliasSpec& alias,
                                              RRType family, const HealthLookup& healthy,
                                              const FlattenPolicy& policy) {
  // Nothing to serve yet (a new alias, or a result dropped with the provider zone it came
  // from) or any more: the fallback addresses answer rather than SERVFAIL.
  const bool nothing = base.state == AliasState::kFailed || base.state == AliasState::kPending;
  if (nothing && alias.has_fallback()) return fallback_result(alias, family, policy);
  if (base.state == AliasState::kAddresses && alias.health_tcp_port)
    return health_filtered(base, target.of(family), alias, family, healthy, policy);
  return std::nullopt;
}

std::string key_of(const Name& name) {
  return std::string(name.lowercased().wire_view());
}

}  // namespace

AliasFamilyResult target_family_result(const TargetState& target, RRType family,
                                       const FlattenPolicy& policy) {
  const TargetState::Family& f = target.of(family);
  switch (f.state) {
    case AliasState::kPending:
      return AliasFamilyResult{};
    case AliasState::kNoData:
      return AliasFamilyResult::no_data();
    case AliasState::kFailed:
      return AliasFamilyResult::failed();
    case AliasState::kAddresses:
      break;
  }
  if (f.addresses.empty()) return AliasFamilyResult::failed();
  return AliasFamilyResult::with_addresses(family, served_ttl(f, stale_ttl(policy)), f.addresses,
                                           serves_stale(f));
}

AliasResult target_result(const TargetState& target, const FlattenPolicy& policy) {
  return {target_family_result(target, RRType::A, policy),
          target_family_result(target, RRType::AAAA, policy)};
}

std::optional<AliasResult> owner_result(const AliasResult& base, const TargetState& target,
                                        const AliasSpec& alias, const HealthLookup& healthy,
                                        const FlattenPolicy& policy) {
  auto a = owner_family(base.a, target, alias, RRType::A, healthy, policy);
  auto aaaa = owner_family(base.aaaa, target, alias, RRType::AAAA, healthy, policy);
  if (!a && !aaaa) return std::nullopt;
  return AliasResult{a ? std::move(*a) : base.a, aaaa ? std::move(*aaaa) : base.aaaa};
}

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
