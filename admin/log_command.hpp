// apexctl log [ZONE]: the change history, newest first.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kLogUsage;

// args follow the word "log". Returns the exit status.
int run_log_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
