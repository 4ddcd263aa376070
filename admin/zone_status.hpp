// apexctl zone status ZONE: what each secondary has of a zone (NOTIFY, RFC 1996; transfers,
// RFC 5936 and RFC 1995), as apexd recorded it.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kZoneStatusUsage;

// args follow "zone status". Returns the exit status.
int run_zone_status(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
