// apexctl record add|set|delete|list.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kRecordUsage;

extern const char* const kRecordListUsage;

// args follow the command words ("record add"). Return the exit status.
int run_record_list(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
