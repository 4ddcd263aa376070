// One version step into the journal, or the history forgotten (see journal_writer.hpp).
#include "storage/journal_writer.hpp"

#include "zones/soa_serial.hpp"

namespace apex::storage {

Status record_version(Database& db, const Name& apex, const ZoneDifference& difference,
                      const JournalLimits& limits) {
  // RFC 1995 §5 asks each step to lead to a newer version (RFC 1982 order).
  if (!serial_greater(difference.to(), difference.from())) return db.clear_journal(apex);
  auto encoded = encode_difference(difference);
  if (!encoded) return db.clear_journal(apex);
  return db.append_journal(
      apex, JournalVersion{difference.from(), difference.to(), std::move(*encoded)}, limits);
}

}  // namespace apex::storage
