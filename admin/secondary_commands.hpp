// apexctl secondary add|list|delete: the servers apexd is primary of, which zones each may
// transfer (RFC 5936 §6) and is sent NOTIFY for (RFC 1996).
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kSecondaryUsage;

extern const char* const kSecondaryAddUsage;
extern const char* const kSecondaryListUsage;
extern const char* const kSecondaryDeleteUsage;

// args follow the command words ("secondary add"). Return the exit status.
int run_secondary_add(std::span<const std::string> args, const CommandContext& ctx);
int run_secondary_list(std::span<const std::string> args, const CommandContext& ctx);
int run_secondary_delete(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
