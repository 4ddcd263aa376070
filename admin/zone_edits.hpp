// The zone change commands: zone add, zone delete, zone import.
#pragma once

#include "admin/edit.hpp"

namespace apex::admin {

extern const ChangeCommand kZoneAddCommand;
extern const ChangeCommand kZoneDeleteCommand;
extern const ChangeCommand kZoneImportCommand;
extern const ChangeCommand kZoneProviderCommand;

}  // namespace apex::admin
