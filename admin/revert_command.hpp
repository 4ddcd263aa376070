// apexctl revert CHANGE_ID: undoes a logged change of a zone as a new change.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kRevertUsage;

// args follow the word "revert". Returns the exit status.
int run_revert_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
