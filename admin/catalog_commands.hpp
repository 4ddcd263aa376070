// apexctl catalog set|unset|show: the catalog zone (RFC 9432) apexd produces from the stored
// zones, for secondaries that provision their zones from it.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kCatalogUsage;

// args follow "catalog". Returns the exit status.
int run_catalog_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
