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
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> CommandLine::all_values(std::string_view option) const {
  auto it = values.find(option);
  if (it == values.end()) return {};
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
      line.values[std::string(name)].push_back(arg.substr(eq + 1));
    } else if (i + 1 < args.size()) {
      line.values[std::string(name)].push_back(args[++i]);
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

namespace {

std::optional<std::string>* global_slot(GlobalOptions& options, std::string_view name) {
  if (name == "--db") return &options.db;
  if (name == "--config") return &options.config;
  if (name == "--actor") return &options.actor;
  if (name == "--comment") return &options.comment;
  if (name == "--control") return &options.control;
  return nullptr;
}

}  // namespace

Result<GlobalOptions> take_global_options(std::vector<std::string>& args) {
  GlobalOptions options;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {
      rest.insert(rest.end(), args.begin() + i, args.end());
      break;
    }
    const auto eq = args[i].find('=');
    const std::string name = args[i].substr(0, eq);
    std::optional<std::string>* slot = global_slot(options, name);
    if (slot == nullptr) {
      rest.push_back(args[i]);
      continue;
    }
    if (eq != std::string::npos) {
      *slot = args[i].substr(eq + 1);
    } else if (i + 1 < args.size()) {
      *slot = args[++i];
    } else {
      return Error{"option '" + name + "' needs a value"};
    }
    if ((*slot)->empty()) return Error{"option '" + name + "' needs a value"};
  }
  args = std::move(rest);
  return options;
}

}  // namespace apex::admin
