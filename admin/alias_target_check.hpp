// After `alias set`: whether the alias's target resolves, as the running apexd finds it, so
// an operator learns at once of a mistyped or not yet provisioned target (the alias is
// created either way).
#pragma once

#include "admin/command_context.hpp"
#include "zones/name.hpp"

namespace apex::admin {

// Returns at once when the target of the alias at owner already has fresh addresses (other
// aliases follow it). Otherwise asks apexd (control socket) to resolve it now and waits for
// its result in alias_state, at most kTargetCheckWait. When the target does not resolve
// (NXDOMAIN or no addresses, failure, no result in time) prints a warning on err saying why
// and what owner is answered meanwhile (fallbacks, NODATA, SERVFAIL), then the alias's
// status on out. Prints nothing when it resolves, or when apexd is not running (it resolves
// the target when it starts). Never changes the exit status: the alias is set.
void check_alias_target(const CommandContext& ctx, const Name& owner);

}  // namespace apex::admin
