// The change commands, for "apply" to look up by their words, and the options they all take.
#pragma once

#include <span>
#include <string_view>

#include "admin/edit.hpp"

namespace apex::admin {

// The change command of the command table (command_table.hpp) with these words; nullptr when
// group + name is not a change command.
const ChangeCommand* find_change_command(std::string_view group, std::string_view name);

// Parses a change command's arguments (after "record add"): the options every change command
// takes, then the command's own. "--if-serial N" (or "--if-serial=N", before any "--") makes
// the edit refused unless the one zone it changes has SOA serial N (RFC 1982 serials: 0 …
// 4294967295), so a script that read a zone changes it only as it read it.
Result<Edit> parse_change_command(const ChangeCommand& command, std::span<const std::string> args,
                                  Failure& failure);

}  // namespace apex::admin
