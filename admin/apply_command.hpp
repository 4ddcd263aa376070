// apexctl apply FILE|-: many changes in one transaction, for automation.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kApplyUsage;

// args follow the word "apply". Returns the exit status.
int run_apply_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
