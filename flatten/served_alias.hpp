// What an ALIAS serves per address family (ARCHITECTURE.md §5: stale, fallback, health): the
// one decision apexd's answer table, `apexctl alias status` and `zone export --flatten` take.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "flatten/alias_spec.hpp"
#include "flatten/flatten_policy.hpp"
#include "flatten/state_store.hpp"
#include "zones/alias_table.hpp"

namespace apex::flatten {

// Whether address answered health probes on port (not probed yet: true).
using HealthLookup = std::function<bool(const Address& address, std::uint16_t port)>;

// Every address counts as healthy: what the saved state alone decides, for readers that
// have no live probes (apexctl).
bool assume_healthy(const Address& address, std::uint16_t port);

// What every alias of the target serves for family: kAddresses with the chain TTL, or, while
// failing or within a negative grace period, stale with the stale TTL; the other states as
// they are.
AliasFamilyResult target_family_result(const TargetState& target, RRType family,
                                       const FlattenPolicy& policy);
AliasResult target_result(const TargetState& target, const FlattenPolicy& policy);

// Where an alias's answer for one family comes from.
enum class ServedFrom {
  kTarget,    // its target's result as it is (addresses, NODATA, SERVFAIL)
  kFallback,  // the alias's fallback addresses, or NODATA for lack of any of this family
  kHealthy,   // the target's addresses that passed the alias's health check
};

struct ServedFamily {
  AliasFamilyResult result;
  ServedFrom from = ServedFrom::kTarget;
};

// What alias serves for family, given its target's state. A family with nothing to serve
// (failed, or pending: a new alias) is served the alias's fallbacks of that family (TTL
// stale_ttl), NODATA when it has fallbacks of the other family only, SERVFAIL when it has
// none. With a health port, addresses that failed their probe are left out; when none is
// healthy, all are served (fail-open), or with fail-open off the alias's fallbacks of that
// family if it has any. The TTL is the one served before the ALIAS TTL caps it.
ServedFamily served_family(const TargetState& target, const AliasSpec& alias, RRType family,
                           const HealthLookup& healthy, const FlattenPolicy& policy);

// What alias serves instead of base (its target's result, target_result), or nullopt when
// the same: served_family for both families, for a table that shares target results.
std::optional<AliasResult> owner_result(const AliasResult& base, const TargetState& target,
                                        const AliasSpec& alias, const HealthLookup& healthy,
                                        const FlattenPolicy& policy);

}  // namespace apex::flatten
