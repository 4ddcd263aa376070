// apexctl zone add|delete|import|provider|export|list|show|status.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kZoneUsage;

// args follow the word "zone". Returns the exit status.
int run_zone_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
