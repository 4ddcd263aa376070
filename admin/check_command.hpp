// apexctl check [ZONE]: validates stored zones as the server would load them, plus the
// delegation rules (glue, occluded data).
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kCheckUsage;

// args follow the word "check". Returns 0 when every zone passes, 1 when one fails.
int run_check_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
