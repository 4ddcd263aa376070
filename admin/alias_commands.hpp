// apexctl alias set|delete (changes, see alias_edits.cpp), list and status (reads).
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kAliasUsage;

// args follow "alias". Returns the exit status.
int run_alias_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
