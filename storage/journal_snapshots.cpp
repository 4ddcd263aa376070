// Journal steps of signed zones from the snapshots served (see journal_snapshots.hpp).
#include "storage/journal_snapshots.hpp"

#include "storage/journal_writer.hpp"
#include "zones/snapshot_difference.hpp"
#include "zones/soa_serial.hpp"

namespace apex::storage {

bool SnapshotJournal::known(const Name& apex, const ZonePtr& snapshot) const {
  auto it = known_.find(apex);
  return snapshot != nullptr && it != known_.end() && it->second.lock() == snapshot;
}

Status SnapshotJournal::replacing(Database& db, const Name& apex, const ZonePtr& before,
                                  const ZonePtr& after) {
  const bool was_known = known(apex, before);
  known_.erase(apex);
  if (after == nullptr) return Ok{};  // the zone and its journal are gone
  if (before != nullptr && serial_greater(before->serial(), after->serial()))
    return db.clear_journal(apex);  // RFC 1995 §5: each step leads to a newer version
  if (!after->is_signed()) return Ok{};
  if (before != nullptr && before->serial() == after->serial()) {
    // Built anew at the same serial: still known only when nothing a secondary holds changed
    // (signatures kept, as when they are reused rather than made again).
    if (!was_known) return Ok{};
    auto step = snapshot_difference(*before, *after);
    if (!step) return Error{step.error()};
    if (step->deleted.empty() && step->added.empty()) known_[apex] = after;
    return Ok{};
  }
  // A serial newer than the one served is new to the secondaries too; not so for a zone
  // this server did not serve before (deleted and created again, it may reuse serials).
  if (before != nullptr) known_[apex] = after;
  if (!was_known || !before->is_signed()) return db.clear_journal(apex);
  auto step = snapshot_difference(*before, *after);
  if (!step) return db.clear_journal(apex);
  return record_version(db, apex, *step, limits_);
}

}  // namespace apex::storage
