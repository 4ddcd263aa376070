// Loads every zone of the database into validated snapshots and one zone index.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/served_zone.hpp"
#include "zones/zone_index.hpp"

namespace apex::storage {

struct SignedZone {
  Name apex;
  std::optional<std::int64_t> renew_at_s;
  // Signatures of unchanged data were renewed by the load: the zone's serial does not tell
  // secondaries about them yet.
  bool renewed = false;
};

struct LoadReport {
  std::size_t zones = 0;
  std::size_t records = 0;
  // Zones that failed validation, with the reason; they are not served (ARCHITECTURE.md §3.3).
  std::vector<std::string> rejected;
  // The zones signed as they were built (those with an active DNSSEC key), with when each
  // next has a signature due for renewal (seconds since 1970).
  std::vector<SignedZone> signed_zones;
  // Signatures made and reused from the stored ones, over every zone.
  std::size_t signatures_made = 0;
  std::size_t signatures_reused = 0;
  // Zones whose new signatures could not be stored, with the reason: served signed all the
  // same, signed again at the next start.
  std::vector<std::string> unsaved;
  // The catalog the index includes (RFC 9432): its name (none when unset) and serial.
  CatalogState catalog;
};

// Every stored zone, and the catalog zone when one is set (unless a stored zone has its name:
// stored data is never hidden by generated data; apexctl refuses that case).
// A zone with an active DNSSEC key is signed under policy at the time of the call, its ALIAS
// owners holding what aliases serves (none: every alias pending), reusing its stored
// signatures that are not due; the signatures that changed are stored after every zone is
// read, except those of a zone with ALIAS records signed with every alias pending, which
// the caller signs again with the flattener's addresses before serving it.
Result<ZoneIndexPtr> load_zone_index(Database& db, LoadReport& report,
                                     const SigningPolicy& policy = {},
                                     const AliasTable* aliases = nullptr);

}  // namespace apex::storage
