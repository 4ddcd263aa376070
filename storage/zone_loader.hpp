// Loads every zone of the database into validated snapshots and one zone index.
#pragma once

#include <string>
#include <vector>

#include "storage/database.hpp"
#include "zones/zone_index.hpp"

namespace apex::storage {

struct LoadReport {
  std::size_t zones = 0;
  std::size_t records = 0;
  // Zones that failed validation, with the reason; they are not served (ARCHITECTURE.md §3.3).
  std::vector<std::string> rejected;
  // The catalog the index includes (RFC 9432): its name (none when unset) and serial.
  CatalogState catalog;
};

// Every stored zone, and the catalog zone when one is set (unless a stored zone has its name:
// stored data is never hidden by generated data; apexctl refuses that case).
Result<ZoneIndexPtr> load_zone_index(Database& db, LoadReport& report);

}  // namespace apex::storage
