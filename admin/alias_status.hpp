// apexctl alias status [ZONE|NAME]: per alias, what the flattener last found for its target
// (ARCHITECTURE.md §5: target, chain, addresses, TTL, state, last success, last error, next
// refresh).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kAliasStatusUsage;

// args follow "alias status". Returns the exit status. Reads only.
int run_alias_status(std::span<const std::string> args, const CommandContext& ctx);

// One word for an alias from the words of its two families: the same word when they agree;
// a negative family gives way to the other (a target without AAAA is normal); otherwise the
// most serious of failed, pending, stale, fresh.
std::string_view overall_state(std::string_view a, std::string_view aaaa);

}  // namespace apex::admin
