// apexctl restore FILE: replaces the database's content with a backup's, checked first.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kRestoreUsage;

// args follow the word "restore". Returns the exit status.
int run_restore_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
