// One stored zone's snapshot being built (ARCHITECTURE.md §6, live apply): its inputs read
// from the database on the control thread, the snapshot made (and, for a zone with an active
// DNSSEC key, signed: the costly part) on whichever thread runs it, the outcome handed back
// to the control thread to be stored and published.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "storage/database.hpp"
#include "storage/served_zone.hpp"
#include "zones/alias_table.hpp"

namespace apex::server {

struct ZoneBuild {
  Name apex;
  std::vector<Record> records;
  std::optional<storage::ZoneDnssec> dnssec;  // none: the zone has no DNSSEC data
  ZoneSignatures stored;                      // the signatures stored before, when it signs
  AliasTablePtr aliases;                      // what ALIAS owners serve, for a signed zone
  std::int64_t now_s = 0;                     // when the build signs, in seconds since 1970
  // Made by run():
  Result<ZonePtr> zone = Error{"not built"};
  SigningReport report;

  bool signs() const { return dnssec && dnssec->active_key() != nullptr; }
  // Builds the snapshot under policy, reusing the stored signatures that are not due.
  // Touches nothing but this object, so any thread may run it.
  void run(const storage::SigningPolicy& policy);
};

// A build of the zone at apex from records (as read from db) with its DNSSEC data and stored
// signatures as db holds them now. An error when the DNSSEC data cannot be read; stored
// signatures that cannot be read are only a warning: the zone is signed all the same.
Result<ZoneBuild> read_zone_build(storage::Database& db, const Name& apex,
                                  std::vector<Record> records, AliasTablePtr aliases,
                                  std::int64_t now_s);

}  // namespace apex::server
