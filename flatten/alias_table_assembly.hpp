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

// The table for these targets (one entry each) and aliases (owner entries where
// owner_result differs; aliases of targets not given are left out).
Result<AliasTablePtr> assemble_alias_table(const std::vector<const TargetState*>& targets,
                                           const std::vector<AliasSpec>& aliases,
                                           const HealthLookup& healthy,
                                           const FlattenPolicy& policy);

}  // namespace apex::flatten
