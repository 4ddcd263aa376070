// Splitting apexctl arguments into positional arguments and options (--name, --name VALUE).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zones/result.hpp"

namespace apex::admin {

struct OptionSpec {
  std::string_view name;  // with its dashes: "--ttl"
  bool takes_value = false;
};

struct CommandLine {
  std::vector<std::string> positional;
  // Options that take a value, each with every value given, in order.
  std::map<std::string, std::vector<std::string>, std::less<>> values;
  std::set<std::string, std::less<>> flags;  // options that don't

  bool has(std::string_view flag) const { return flags.contains(flag); }
  // The last value given (a repeated option overrides), if any.
  std::optional<std::string> value(std::string_view option) const;
  // Every value given, for repeatable options (--rdata).
  std::vector<std::string> all_values(std::string_view option) const;
};

// Accepts "--name VALUE", "--name=VALUE" and flags anywhere; "--" ends the options (so RDATA
// may start with a dash), and "-" alone is positional. Errors are usage errors and name the
// offending option.
Result<CommandLine> parse_command_line(std::span<const std::string> args,
                                       std::span<const OptionSpec> options);

// True when args ask for help: "--help" or "-h" before any "--".
bool wants_help(std::span<const std::string> args);

// apexctl's global options: they may be written before or after the command.
struct GlobalOptions {
  std::optional<std::string> db;       // --db FILE
  std::optional<std::string> config;   // --config FILE
  std::optional<std::string> actor;    // --actor NAME
  std::optional<std::string> comment;  // --comment TEXT
  std::optional<std::string> control;  // --control PATH: apexd's control socket
};

// Removes the global options ("--db FILE", "--db=FILE", likewise --config, --actor,
// --comment and --control) from
// args, before any "--". The last value of each wins.
Result<GlobalOptions> take_global_options(std::vector<std::string>& args);

}  // namespace apex::admin
