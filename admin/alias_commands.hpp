// apexctl alias set|delete (changes, see alias_edits.cpp), list and status (reads).
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kAliasUsage;

extern const char* const kAliasListUsage;

// args follow the command words ("alias set"). Return the exit status.
int run_alias_list(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
