// apexctl zone add|delete|import|provider|export|list|show|status.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kZoneUsage;

extern const char* const kZoneExportUsage;
extern const char* const kZoneListUsage;

// args follow the command words ("zone add"). Return the exit status.
int run_zone_export(std::span<const std::string> args, const CommandContext& ctx);
int run_zone_list(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
