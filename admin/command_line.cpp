// Splitting apexctl arguments into positional arguments and options (--name, --name VALUE).
#include "admin/command_line.hpp"

#include <algorithm>

namespace apex::admin {
namespace {

bool looks_like_option(std::string_view arg) {
  return arg.size() > 1 && arg[0] == '-';
}

const OptionSpec* find_option(std::span<const OptionSpec> options, std::string_view name) {
  auto it = std::find_if(options.begin(), options.end(),
                         [&](const OptionSpec& o) { return o.name == name; });
  return it == options.end() ? nullptr : &*it;
}

}  // namespace

std::optional<std::string> CommandLine::value(std::string_view option) const {
  auto it = values.find(option);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

Result<CommandLine> parse_command_line(std::span<const std::string> args,
                                       std::span<const OptionSpec> options) {
  CommandLine line;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      line.positional.insert(line.positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (!looks_like_option(arg)) {
      line.positional.push_back(arg);
      continue;
    }
    const auto eq = arg.find('=');
    const std::string_view name = std::string_view(arg).substr(0, eq);
    const OptionSpec* spec = find_option(options, name);
    if (spec == nullptr) return Error{"unknown option '" + std::string(name) + "'"};
    if (!spec->takes_value) {
      if (eq != std::string::npos)
        return Error{"option '" + std::string(name) + "' takes no value"};
      line.flags.emplace(name);
    } else if (eq != std::string::npos) {
      line.values[std::string(name)] = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      line.values[std::string(name)] = args[++i];
    } else {
      return Error{"option '" + std::string(name) + "' needs a value"};
    }
  }
  return line;
}

bool wants_help(std::span<const std::string> args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

Result<std::optional<std::string>> take_db_option(std::vector<std::string>& args) {
  std::optional<std::string> db;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {
      rest.insert(rest.end(), args.begin() + i, args.end());
      break;
    }
    if (args[i].starts_with("--db=")) {
      db = args[i].substr(5);
    } else if (args[i] == "--db") {
      if (i + 1 >= args.size()) return Error{"option '--db' needs a value"};
      db = args[++i];
    } else {
      rest.push_back(args[i]);
      continue;
    }
    if (db->empty()) return Error{"option '--db' needs a file name"};
  }
  args = std::move(rest);
  return db;
}

}  // namespace apex::admin
