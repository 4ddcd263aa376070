// The IXFR journal of a signed zone, written by the server that signs it: a signed zone's
// version step holds the RRSIG, NSEC/NSEC3 and DNSKEY records its snapshot gained and lost
// (RFC 1995 §4), which only the snapshots say, since the signatures are made as a snapshot
// is built. Unsigned zones keep the journal their editor writes (journal_writer.hpp).
#pragma once

#include <map>
#include <memory>

#include "storage/database.hpp"
#include "zones/zone.hpp"

namespace apex::storage {

// A step may start only from a snapshot whose content is the one secondaries can hold at its
// serial. That is known of a snapshot this object saw replace an older serial, and of one
// whose digest (zones/snapshot_digest.hpp) is the one stored for its serial: each new
// serial's content is stored as it is published (signed_versions), and forgotten when
// another content is served at that serial. So a snapshot built at start or after a reload
// from stored signatures, with the content served before, goes on with the history. Not so
// a snapshot with other signatures (renewed at load), or rebuilt at the same serial with
// other content (signed anew without a new serial): from it there is no step, the history
// restarts at the next serial, and a secondary holding an older one gets the whole zone
// (RFC 1995 §4) — never a wrong step.
class SnapshotJournal {
 public:
  explicit SnapshotJournal(JournalLimits limits) : limits_(limits) {}

  // To be told before after (signed or not; null: the zone removed) replaces before (null:
  // nothing served yet) as the snapshot of zone apex, in the database the zone is read
  // from. For a signed after
  // whose serial moved forward from a snapshot known as above: the step before -> after,
  // within the limits, chained to the journal's newest step or starting it anew. Signed,
  // from any other snapshot: the journal emptied. A serial moved back: the journal emptied,
  // signed or not (as for any edit, journal_writer.hpp). Unsigned otherwise: untouched.
  Status replacing(Database& db, const Name& apex, const ZonePtr& before, const ZonePtr& after);
  // Whether the server answers yet (at first: yes). Until it does, a snapshot replaced at the
  // same serial was never served, so its replacement may be the content stored for that
  // serial (zones loaded with their aliases pending, signed again with the saved addresses
  // before the first answer).
  void answering(bool on) { answering_ = on; }

 private:
  bool known(const Name& apex, const ZonePtr& snapshot) const;
  // stored: the version stored for this serial (read when before was not known).
  Status same_serial(Database& db, const Name& apex, const Zone& before, const ZonePtr& after,
                     bool was_known, const std::optional<SignedVersion>& stored);

  JournalLimits limits_;
  // Per zone, the snapshot whose content is the only one served at its serial, not kept
  // alive: a snapshot replaced since, or built anew, never compares equal to it.
  std::map<Name, std::weak_ptr<const Zone>, CanonicalLess> known_;
  bool answering_ = true;
};

}  // namespace apex::storage
