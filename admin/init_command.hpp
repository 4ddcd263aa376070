// apexctl init: create the database, or bring an existing one to the current schema.
#pragma once

#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kInitUsage;

// args follow the word "init". Returns the exit status.
int run_init_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
