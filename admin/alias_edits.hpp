// The alias change commands: alias set, alias delete (ARCHITECTURE.md §5).
#pragma once

#include "admin/edit.hpp"

namespace apex::admin {

extern const ChangeCommand kAliasSetCommand;
extern const ChangeCommand kAliasDeleteCommand;

}  // namespace apex::admin
