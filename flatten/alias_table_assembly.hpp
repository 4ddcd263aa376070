// Turns the flattener's per-target states, the aliases and the health of their addresses into
// the immutable AliasTable the answer engine reads (ARCHITECTURE.md §3.5, §5).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "flatten/alias_spec.hpp"
#include "flatten/flatten_policy.hpp"
#include "flatten/state_store.hpp"
#include "zones/alias_table.hpp"

namespace apex::flatten {

// Whether address answered health probes on port (not probed yet: true).
using HealthLookup = std::function<bool(const Address& address, std::uint16_t port)>;

// What every alias of the target serves for family: kAddresses with the chain TTL, or, while
// failing or within a negative grace period, stale with the stale TTL; the other states as
// they are.
AliasFamilyResult target_family_result(const TargetState& target, RRType family,
                                       const FlattenPolicy& policy);
AliasResult target_result(const TargetState& target, const FlattenPolicy& policy);

// What alias serves instead of base (its target's result), or nullopt when the same. Per
// family: a kFailed family is served the owner's fallbacks (TTL stale_ttl) when it has any;
// NODATA when it has fallbacks of the other family only. With a health port, addresses that
// failed their probe are left out; when none is healthy, all are served (fail-open), or
// with fail-open off the owner's fallbacks of that family if it has any.
std::optional<AliasResult> owner_result(const AliasResult& base, const TargetState& target,
                                        const AliasSpec& alias, const HealthLookup& healthy,
                                        const FlattenPolicy& policy);

// What the table holds for target: its result, and an owner entry for each of these aliases
// (all pointing at it) whose owner_result differs; an owner given twice counts once (the
// first). Publishing a change rebuilds this for the changed targets only (ARCHITECTURE.md
// §3.6).
AliasTargetChange target_change(const TargetState& target,
                                const std::vector<const AliasSpec*>& aliases,
                                const HealthLookup& healthy, const FlattenPolicy& policy);

// The table for these targets (one entry each) and aliases (owner entries where
// owner_result differs; aliases of targets not given are left out).
Result<AliasTablePtr> assemble_alias_table(const std::vector<const TargetState*>& targets,
                                           const std::vector<AliasSpec>& aliases,
                                           const HealthLookup& healthy,
                                           const FlattenPolicy& policy);

}  // namespace apex::flatten
