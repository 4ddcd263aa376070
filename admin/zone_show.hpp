// apexctl zone show ZONE: a zone at a glance.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kZoneShowUsage;

// args follow "zone show". Returns the exit status.
int run_zone_show(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
