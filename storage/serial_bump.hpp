// Raising a stored zone's SOA serial for a change apexd itself makes to what the zone serves:
// the flattened addresses of its ALIAS owners. Secondaries only transfer a zone whose serial
// went up (RFC 1996 §4.7, RFC 1982), so such a change must move the serial like any edit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex::storage {

// The actor of the change-log entries apexd writes itself (new ALIAS addresses, signatures
// due for renewal), which its live apply tells from operators' changes.
inline const std::string kServerActor = "apexd";

struct SerialBump {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
};

// What the new serial changes in what the zone serves: the records a secondary deletes and
// adds (RFC 1995 §4), besides the SOA.
struct ServedDifference {
  std::vector<Record> deleted;
  std::vector<Record> added;
};

// In the caller's transaction (or its own): the zone's SOA serial + 1 in RFC 1982 arithmetic,
// skipping 0, with a change-log entry (actor, operation) that the running server follows and
// the version step in the zone's journal (within limits; a signed zone's step is written by
// the server as it publishes the version, journal_snapshots.hpp). nullopt when the zone is
// not stored.
Result<std::optional<SerialBump>> bump_zone_serial(Database& db, const Name& apex,
                                                   const std::string& actor,
                                                   const std::string& operation,
                                                   const ServedDifference& difference,
                                                   const JournalLimits& limits);

}  // namespace apex::storage
