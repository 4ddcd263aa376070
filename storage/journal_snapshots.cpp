// Journal steps of signed zones from the snapshots served (see journal_snapshots.hpp).
#include "storage/journal_snapshots.hpp"

#include "storage/journal_writer.hpp"
#include "zones/snapshot_difference.hpp"
#include "zones/snapshot_digest.hpp"
#include "zones/soa_serial.hpp"

namespace apex::storage {

bool SnapshotJournal::known(const Name& apex, const ZonePtr& snapshot) const {
  auto it = known_.find(apex);
  return snapshot != nullptr && it != known_.end() && it->second.lock() == snapshot;
}

namespace {

// The stored version of the zone when it is at serial; none when there is none, it is at
// another serial, or it cannot be read (then no step starts from it: never a wrong step).
std::optional<SignedVersion> stored_at(Database& db, const Name& apex, std::uint32_t serial) {
  auto row = db.signed_version(apex);
  if (!row || !*row || (*row)->serial != serial) return std::nullopt;
  return **row;
}

bool holds(const std::optional<SignedVersion>& version, const Zone& zone) {
  if (!version) return false;
  auto digest = snapshot_digest(zone);
  return digest && *digest == version->digest;
}

Status set_version(Database& db, const Name& apex, const std::optional<SignedVersion>& version) {
  if (db.read_only()) return Ok{};  // nothing is journaled there either
  return db.set_signed_version(apex, version);
}

}  // namespace

Status SnapshotJournal::replacing(Database& db, const Name& apex, const ZonePtr& before,
                                  const ZonePtr& after) {
  bool was_known = known(apex, before);
  known_.erase(apex);
  if (after == nullptr) return Ok{};  // the zone, its journal and its version are gone
  if (before != nullptr && serial_greater(before->serial(), after->serial()))
    return db.clear_journal(apex);  // RFC 1995 §5: each step leads to a newer version
  if (!after->is_signed()) return Ok{};
  // A snapshot built from the database (at start, or after a reload) is the content served
  // at its serial before when its digest is the stored one.
  std::optional<SignedVersion> stored;
  if (!was_known && before != nullptr) {
    stored = stored_at(db, apex, before->serial());
    was_known = before->is_signed() && holds(stored, *before);
  }
  if (before != nullptr && before->serial() == after->serial())
    return same_serial(db, apex, *before, after, was_known, stored);
  // A serial newer than the one served is new to the secondaries too; not so for a zone
  // this server did not serve before (deleted and created again, it may reuse serials).
  if (before != nullptr) {
    known_[apex] = after;
    auto digest = snapshot_digest(*after);
    auto saved = set_version(
        db, apex, digest ? std::optional<SignedVersion>{{after->serial(), *digest}} : std::nullopt);
    if (!saved) return saved;
  }
  if (!was_known || !before->is_signed()) return db.clear_journal(apex);
  auto step = snapshot_difference(*before, *after);
  if (!step) return db.clear_journal(apex);
  return record_version(db, apex, *step, limits_);
}

Status SnapshotJournal::same_serial(Database& db, const Name& apex, const Zone& before,
                                    const ZonePtr& after, bool was_known,
                                    const std::optional<SignedVersion>& stored) {
  if (was_known) {
    // Still known only when nothing a secondary holds changed (signatures kept, as when
    // they are reused rather than made again); otherwise two contents were served at one
    // serial, and no step may start from it.
    auto step = snapshot_difference(before, *after);
    if (!step) return Error{step.error()};
    if (step->deleted.empty() && step->added.empty()) {
      known_[apex] = after;
      return Ok{};
    }
    return set_version(db, apex, std::nullopt);
  }
  // Before apexd answers (the zones loaded with their aliases pending, signed again with the
  // saved addresses), before was never served: after may be the content served before.
  if (!answering_) {
    if (holds(stored, *after)) known_[apex] = after;
    return Ok{};
  }
  // before, served, is not the stored content: that is no longer the one at this serial.
  return stored ? set_version(db, apex, std::nullopt) : Ok{};
}

}  // namespace apex::storage
