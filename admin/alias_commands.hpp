// apexctl alias set|delete (changes, see alias_edits.cpp), list and status (reads).
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kAliasUsage;

extern const char* const kAliasListUsage;

// args follow the command words ("alias set"). Return the exit status.
// alias set as a command of its own: the change, then, once committed, whether the target
// resolves (alias_target_check.hpp). In "apply" it is the change alone.
int run_alias_set(std::span<const std::string> args, const CommandContext& ctx);
int run_alias_list(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
