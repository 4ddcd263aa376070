// Every change command, for "apply" to look up by its words.
#pragma once

#include <span>
#include <string_view>

#include "admin/edit.hpp"

namespace apex::admin {

std::span<const ChangeCommand* const> change_commands();

// nullptr when group + name is not a change command.
const ChangeCommand* find_change_command(std::string_view group, std::string_view name);

}  // namespace apex::admin
