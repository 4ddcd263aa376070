// Target and owner results for ALIAS answers (ARCHITECTURE.md §5): fresh and stale addresses
// (RFC 8767), fallbacks, health-filtered subsets.
#include "flatten/served_alias.hpp"

namespace apex::flatten {
namespace {

std::uint32_t stale_ttl(const FlattenPolicy& policy) {
  return stale_ttl_seconds(policy.stale_ttl);
}

const std::vector<Address>& fallbacks_of(const AliasSpec& alias, RRType family) {
  return family == RRType::AAAA ? alias.fallback_aaaa : alias.fallback_a;
}

ServedFamily fallback_result(const AliasSpec& alias, RRType family, const FlattenPolicy& policy) {
  const auto& fallbacks = fallbacks_of(alias, family);
  if (fallbacks.empty()) return {AliasFamilyResult::no_data(), ServedFrom::kFallback};
  return {AliasFamilyResult::with_addresses(family, stale_ttl(policy), fallbacks),
          ServedFrom::kFallback};
}

std::vector<Address> healthy_subset(const std::vector<Address>& addresses, std::uint16_t port,
                                    const HealthLookup& healthy) {
  std::vector<Address> subset;
  for (const auto& address : addresses)
    if (healthy(address, port)) subset.push_back(address);
  return subset;
}

std::optional<ServedFamily> health_filtered(const AliasFamilyResult& base,
                                            const TargetState::Family& state,
                                            const AliasSpec& alias, RRType family,
                                            const HealthLookup& healthy,
                                            const FlattenPolicy& policy) {
  auto subset = healthy_subset(state.addresses, *alias.health_tcp_port, healthy);
  if (subset.size() == state.addresses.size()) return std::nullopt;
  if (!subset.empty()) {
    return ServedFamily{
        AliasFamilyResult::with_addresses(family, base.addresses.ttl, subset, base.stale),
        ServedFrom::kHealthy};
  }
  if (policy.health_fail_open || fallbacks_of(alias, family).empty()) return std::nullopt;
  return fallback_result(alias, family, policy);
}

// What the alias serves instead of base, or nullopt when base itself.
std::optional<ServedFamily> owner_family(const AliasFamilyResult& base, const TargetState& target,
                                         const AliasSpec& alias, RRType family,
                                         const HealthLookup& healthy, const FlattenPolicy& policy) {
  // Nothing to serve yet (a new alias, or a result dropped with the provider zone it came
  // from) or any more: the fallback addresses answer rather than SERVFAIL.
  const bool nothing = base.state == AliasState::kFailed || base.state == AliasState::kPending;
  if (nothing && alias.has_fallback()) return fallback_result(alias, family, policy);
  if (base.state == AliasState::kAddresses && alias.health_tcp_port)
    return health_filtered(base, target.of(family), alias, family, healthy, policy);
  return std::nullopt;
}

}  // namespace

bool assume_healthy(const Address&, std::uint16_t) {
  return true;
}

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

ServedFamily served_family(const TargetState& target, const AliasSpec& alias, RRType family,
                           const HealthLookup& healthy, const FlattenPolicy& policy) {
  AliasFamilyResult base = target_family_result(target, family, policy);
  if (auto own = owner_family(base, target, alias, family, healthy, policy)) return std::move(*own);
  return {std::move(base), ServedFrom::kTarget};
}

std::optional<AliasResult> owner_result(const AliasResult& base, const TargetState& target,
                                        const AliasSpec& alias, const HealthLookup& healthy,
                                        const FlattenPolicy& policy) {
  auto a = owner_family(base.a, target, alias, RRType::A, healthy, policy);
  auto aaaa = owner_family(base.aaaa, target, alias, RRType::AAAA, healthy, policy);
  if (!a && !aaaa) return std::nullopt;
  return AliasResult{a ? std::move(a->result) : base.a, aaaa ? std::move(aaaa->result) : base.aaaa};
}

}  // namespace apex::flatten
