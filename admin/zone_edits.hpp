// The zone change commands: zone add, zone delete, zone import.
#pragma once

#include <cstddef>

#include "admin/edit.hpp"

namespace apex::admin {

extern const ChangeCommand kZoneAddCommand;
extern const ChangeCommand kZoneDeleteCommand;
extern const ChangeCommand kZoneImportCommand;
extern const ChangeCommand kZoneProviderCommand;

// 'zone import --replace' prints the record lines it changed in a zone when there are at most
// this many, else their count (the change log keeps them all).
inline constexpr std::size_t kImportChangeLines = 20;

}  // namespace apex::admin
