// apexctl record add|set|delete|list.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kRecordUsage;

// args follow the word "record". Returns the exit status.
int run_record_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
