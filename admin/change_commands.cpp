// The change commands, for "apply" to look up by their words, and the options they all take.
#include "admin/change_commands.hpp"

#include <optional>
#include <string>
#include <vector>

#include "admin/command_table.hpp"
#include "zones/number_text.hpp"

namespace apex::admin {
namespace {

constexpr std::string_view kIfSerial = "--if-serial";

struct SerialCondition {
  std::vector<std::string> rest;  // the arguments without --if-serial
  std::optional<std::uint32_t> serial;
};

Result<SerialCondition> take_serial_condition(std::span<const std::string> args, Failure& failure) {
  SerialCondition taken;
  std::optional<std::string> text;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      taken.rest.insert(taken.rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i),
                        args.end());
      break;
    }
    if (arg == kIfSerial) {
      if (i + 1 == args.size()) return failure.usage("option '--if-serial' needs a value");
      text = args[++i];
    } else if (arg.starts_with(std::string(kIfSerial) + "=")) {
      text = arg.substr(kIfSerial.size() + 1);
    } else {
      taken.rest.push_back(arg);
    }
  }
  if (text) {
    auto serial = parse_decimal(*text, 4294967295u);
    if (!serial) {
      return failure.refuse("invalid --if-serial '" + *text +
                            "': expected a serial from 0 to 4294967295");
    }
    taken.serial = static_cast<std::uint32_t>(*serial);
  }
  return taken;
}

}  // namespace

Result<Edit> parse_change_command(const ChangeCommand& command, std::span<const std::string> args,
                                  Failure& failure) {
  auto condition = take_serial_condition(args, failure);
  if (!condition) return Error{condition.error()};
  auto edit = command.parse(condition->rest, failure);
  if (!edit || !condition->serial) return edit;
  return Edit{[inner = std::move(edit).value(), serial = *condition->serial](ChangeSet& changes,
                                                                             Failure& failure) {
    changes.require_serial(serial);
    return inner.apply(changes, failure);
  }};
}

const ChangeCommand* find_change_command(std::string_view group, std::string_view name) {
  for (const Command& command : commands())
    if (command.change && command.group == group && command.name == name) return command.change;
  return nullptr;
}

}  // namespace apex::admin
