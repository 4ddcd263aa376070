// A change to one stored zone's records, checked as a whole before anything is written.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/database.hpp"
#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex::admin {

struct ZoneChange {
  std::vector<Record> removed;  // records as stored
  std::vector<Record> added;
};

// What is actually written: the change plus the SOA, whose serial moves forward.
struct PlannedChange {
  std::vector<Record> removed;
  std::vector<Record> added;
  std::uint32_t serial = 0;
};

// Applies change to the zone's current records in memory, gives the SOA the serial
// next_serial(old, proposed) (DESIGN §6: every change bumps it, never backwards; proposed is
// the serial of an SOA the change brings), and validates the resulting zone with build_zone.
// An error is a refusal carrying the zone rules' message; nothing has been written.
Result<PlannedChange> plan_zone_change(const Name& apex, const std::vector<Record>& current,
                                       const ZoneChange& change);

// Writes a planned change. Call it inside the transaction that read the current records.
Status write_zone_change(storage::Database& db, const Name& apex, const PlannedChange& plan);

}  // namespace apex::admin
