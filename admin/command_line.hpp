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
  std::map<std::string, std::string, std::less<>> values;  // options that take a value
  std::set<std::string, std::less<>> flags;                // options that don't

  bool has(std::string_view flag) const { return flags.contains(flag); }
  std::optional<std::string> value(std::string_view option) const;
};

// Accepts "--name VALUE", "--name=VALUE" and flags anywhere; "--" ends the options (so RDATA
// may start with a dash), and "-" alone is positional. Errors are usage errors and name the
// offending option.
Result<CommandLine> parse_command_line(std::span<const std::string> args,
                                       std::span<const OptionSpec> options);

// True when args ask for help: "--help" or "-h" before any "--".
bool wants_help(std::span<const std::string> args);

// Removes "--db FILE" / "--db=FILE" from args (before any "--") so that the global option may
// be written before or after the command. Returns the last value given, if any.
Result<std::optional<std::string>> take_db_option(std::vector<std::string>& args);

}  // namespace apex::admin
