// The check zone add and zone import make before creating a zone: none at or above a public
// suffix ("com", "co.uk", the root) unless the operator forces it (a hosting customer's zone
// there would hold names that other parties register).
#pragma once

#include <filesystem>

#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex::admin {

// Ok, or why the zone at apex is refused: it is at or above a public suffix of the list at
// list_path, or the list cannot be read (refused rather than allowed unchecked). The list is
// read once per process.
Status check_public_suffix(const Name& apex, const std::filesystem::path& list_path);

}  // namespace apex::admin
