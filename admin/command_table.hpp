// apexctl's commands in one table: words, runner, --help text and what each command touches.
// Dispatch, help, --comment acceptance and the control-socket commands are all read from it.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "admin/command_context.hpp"
#include "admin/edit.hpp"

namespace apex::admin {

using CommandRunner = int (*)(std::span<const std::string> args, const CommandContext& ctx);

// What a command works on: the database, or the running apexd through its control socket
// (the database is not opened, and its help needs the configuration to name the socket).
enum class CommandTarget { kDatabase, kApexd };

struct Command {
  std::string_view group;  // "zone"; the command word itself for one-word commands ("init")
  std::string_view name;   // "add"; empty for one-word commands
  // A change command (also a line of "apply"), a runner of its own, or both: then the runner
  // runs it from the command line (the change and what follows it), the change in "apply".
  // args follow the command words; they never ask for help, which the dispatcher answers
  // with usage.
  const ChangeCommand* change;
  CommandRunner run;
  const char* usage;  // its --help
  // Writes a change-log entry, so it takes --comment.
  bool changes_data;
  CommandTarget target;

  std::string words() const;
  // How many of the arguments are the command's words: 1 or 2.
  std::size_t word_count() const { return name.empty() ? 1 : 2; }
};

// A command word with subcommands ("zone") and the help that lists them.
struct CommandGroup {
  std::string_view name;
  const char* usage;
};

std::span<const Command> commands();
std::span<const CommandGroup> command_groups();

// The command args begin with ("zone add ...", "init ..."), or nullptr.
const Command* find_command(std::span<const std::string> args);
// The group named word, or nullptr.
const CommandGroup* find_command_group(std::string_view word);

}  // namespace apex::admin
