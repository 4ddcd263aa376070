// Loads every zone of the database into validated snapshots and one zone index.
#pragma once

#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/served_zone.hpp"
#include "zones/zone_index.hpp"

namespace apex::storage {

struct LoadReport {
  std::size_t zones = 0;
  std::size_t records = 0;
  // Zones that failed validation, with the reason; they are not served (ARCHITECTURE.md §3.3).
  std::vector<std::string> rejected;
  // The zones signed as they were built (those with an active DNSSEC key).
  std::vector<Name> signed_zones;
  // The catalog the index includes (RFC 9432): its name (none when unset) and serial.
  CatalogState catalog;
};

// Every stored zone, and the catalog zone when one is set (unless a stored zone has its name:
// stored data is never hidden by generated data; apexctl refuses that case).
// A zone with an active DNSSEC key is signed under policy at the time of the call, its ALIAS
// owners holding what aliases serves (none: every alias pending).
Result<ZoneIndexPtr> load_zone_index(Database& db, LoadReport& report,
                                     const SigningPolicy& policy = {},
                                     const AliasTable* aliases = nullptr);

}  // namespace apex::storage
