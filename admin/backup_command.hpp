// apexctl backup FILE: a consistent copy of the database, taken while it is in use.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kBackupUsage;

// args follow the word "backup". Returns the exit status.
int run_backup_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
