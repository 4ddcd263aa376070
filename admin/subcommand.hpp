// A command group's table of subcommands ("zone import", "record add") and its dispatch.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "admin/command_context.hpp"

namespace apex::admin {

struct Subcommand {
  std::string_view name;
  int (*run)(std::span<const std::string> args, const CommandContext& ctx);
  const char* usage;
};

// Runs the subcommand named by args[0] with the remaining arguments, or prints its usage when
// they ask for help. group ("zone") names the group in messages; group_usage lists its commands.
int dispatch_subcommand(std::string_view group, const char* group_usage,
                        std::span<const Subcommand> table, std::span<const std::string> args,
                        const CommandContext& ctx);

}  // namespace apex::admin
