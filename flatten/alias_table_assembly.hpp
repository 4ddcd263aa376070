// Turns the flattener's per-target states, the aliases and the health of their addresses into
// the immutable AliasTable the answer engine reads (ARCHITECTURE.md §3.5, §5).
#pragma once

#include <vector>

#include "flatten/alias_spec.hpp"
#include "flatten/flatten_policy.hpp"
#include "flatten/served_alias.hpp"
#include "flatten/state_store.hpp"
#include "zones/alias_table.hpp"

namespace apex::flatten {

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
