// SOA serial bumps made by apexd (see serial_bump.hpp).
#include "storage/serial_bump.hpp"

#include "storage/journal_writer.hpp"
#include "zones/soa_serial.hpp"

namespace apex::storage {
namespace {

// A signed zone's step also holds the RRSIGs and chain links made as the new version is
// signed, which no stored record says: the server writes it when it publishes that version
// (journal_snapshots.hpp), so the bump leaves the journal alone.
Status journal_bump(Database& db, const Name& apex, const ZoneDifference& version,
                    const JournalLimits& limits) {
  auto dnssec = db.zone_dnssec(apex);
  if (!dnssec) return Error{dnssec.error()};
  if (*dnssec && (*dnssec)->active_key() != nullptr) return Ok{};
  return record_version(db, apex, version, limits);
}

}  // namespace

Result<std::optional<SerialBump>> bump_zone_serial(Database& db, const Name& apex,
                                                   const std::string& actor,
                                                   const std::string& operation,
                                                   const ServedDifference& difference,
                                                   const JournalLimits& limits) {
  std::optional<SerialBump> bump;
  auto done = db.transaction([&]() -> Status {
    auto records = db.zone_records(apex);
    if (!records) return Error{records.error()};
    if (!*records) return Ok{};
    for (const Record& r : **records) {
      if (r.type != RRType::SOA || !(r.owner == apex)) continue;
      auto serial = soa_serial(r.rdata);
      if (!serial) return Error{"zone " + apex.to_text() + ": SOA " + serial.error()};
      std::uint32_t next = *serial + 1;  // RFC 1982 §3.1: addition modulo 2^32
      if (next == 0) next = 1;           // some secondaries take 0 for "no serial"
      auto rdata = with_soa_serial(r.rdata, next);
      if (!rdata) return Error{rdata.error()};
      Record bumped = r;
      bumped.rdata = std::move(*rdata);
      if (auto gone = db.delete_record(apex, r); !gone) return Error{gone.error()};
      if (auto ok = db.add_records(apex, {bumped}); !ok) return ok;
      bump = SerialBump{*serial, next};
      if (auto journaled = journal_bump(
              db, apex, ZoneDifference{r, difference.deleted, bumped, difference.added}, limits);
          !journaled)
        return journaled;
      return db.log_change(
          ChangeEntry{apex, actor, operation,
                      "serial " + std::to_string(*serial) + " -> " + std::to_string(next)});
    }
    return Error{"zone " + apex.to_text() + " has no SOA record"};
  });
  if (!done) return Error{done.error()};
  return bump;
}

}  // namespace apex::storage
