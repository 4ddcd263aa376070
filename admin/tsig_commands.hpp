// apexctl tsig add|list|delete: the TSIG keys (RFC 8945) secondaries sign transfers with.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kTsigUsage;

// args follow "tsig". Returns the exit status.
int run_tsig_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
