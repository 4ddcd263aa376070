// Keeping a zone's IXFR journal in step with its changes (RFC 1995): each change that moves
// the serial forward is recorded as one version step in the change's own transaction; any
// other change (a serial that does not move forward, a step too large to keep) forgets the
// history, so an older secondary gets the whole zone rather than a wrong difference.
#pragma once

#include "storage/database.hpp"
#include "zones/zone_difference.hpp"

namespace apex::storage {

Status record_version(Database& db, const Name& apex, const ZoneDifference& difference,
                      const JournalLimits& limits);

}  // namespace apex::storage
