// apexctl catalog set|unset|show: the catalog zone (RFC 9432) apexd produces from the stored
// zones, for secondaries that provision their zones from it.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kCatalogUsage;

extern const char* const kCatalogSetUsage;
extern const char* const kCatalogUnsetUsage;
extern const char* const kCatalogShowUsage;

// args follow the command words ("catalog set"). Return the exit status.
int run_catalog_set(std::span<const std::string> args, const CommandContext& ctx);
int run_catalog_unset(std::span<const std::string> args, const CommandContext& ctx);
int run_catalog_show(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
