// One parsed change command ("record add www.example.com A 192.0.2.1"), ready to run against
// the ChangeSet of a transaction: alone from the command line, or as a line of "apply".
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "admin/change_set.hpp"
#include "admin/command_context.hpp"
#include "zones/result.hpp"

namespace apex::admin {

struct Edit {
  // Applies the change to the ChangeSet; returns what it did, one line per record or zone
  // ("added www.example.com. 300 IN A 192.0.2.1\n"). Refusals go through failure.refuse().
  std::function<Result<std::string>(ChangeSet&, Failure&)> apply;
};

// Parses a change command's arguments (after "record add"); bad arguments are reported through
// failure.usage() (wrong shape) or failure.refuse() (a bad name, type, TTL …).
using EditParser = Result<Edit> (*)(std::span<const std::string> args, Failure& failure);

// A change command: its words, its parser and its --help text.
struct ChangeCommand {
  std::string_view group;  // "record"
  std::string_view name;   // "add"
  EditParser parse;
  const char* usage;

  std::string words() const { return std::string(group) + " " + std::string(name); }
};

}  // namespace apex::admin
