// apexctl tsig add|list|delete: the TSIG keys (RFC 8945) secondaries sign transfers with.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kTsigUsage;

extern const char* const kTsigAddUsage;
extern const char* const kTsigListUsage;
extern const char* const kTsigDeleteUsage;

// args follow the command words ("tsig add"). Return the exit status.
int run_tsig_add(std::span<const std::string> args, const CommandContext& ctx);
int run_tsig_list(std::span<const std::string> args, const CommandContext& ctx);
int run_tsig_delete(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
