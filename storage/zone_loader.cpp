// Startup load: stream zones out of SQLite and build each snapshot as it arrives.
#include "storage/zone_loader.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "zones/catalog_zone.hpp"

namespace apex::storage {

namespace {

Status add_catalog(Database& db, std::vector<ZonePtr>& zones, LoadReport& report) {
  auto catalog = db.catalog();
  if (!catalog) return Error{catalog.error()};
  report.catalog = catalog->state;
  if (!catalog->state.name) return Ok{};
  const Name& apex = *catalog->state.name;
  if (std::any_of(zones.begin(), zones.end(),
                  [&](const ZonePtr& z) { return z->apex() == apex; })) {
    report.rejected.push_back("catalog " + apex.to_text() + ": a stored zone has its name");
    report.catalog.name.reset();
    return Ok{};
  }
  auto zone = build_catalog_zone(apex, catalog->state.serial, catalog->members);
  if (!zone) {
    report.rejected.push_back(zone.error());
    report.catalog.name.reset();
    return Ok{};
  }
  zones.push_back(std::move(*zone));
  return Ok{};
}

// A zone whose signatures changed in the load: what is stored and what it now has.
struct SignatureChange {
  Name apex;
  ZoneSignatures previous;
  ZoneSignatures current;
};

// Signs the zone reusing what is stored; notes its signatures when they changed.
Result<ZonePtr> build_signed(Database& db, const Name& apex, std::vector<Record> records,
                             const ZoneDnssec& dnssec, const SigningPolicy& policy,
                             std::int64_t now_s, const AliasTable* aliases, LoadReport& report,
                             std::vector<SignatureChange>& changes) {
  auto stored = db.zone_signatures(apex);
  if (!stored) return Error{stored.error()};
  // Signed with every alias pending, the zone is signed again with the flattener's addresses
  // before it is served: its stored signatures stay as they are for that build to reuse, so
  // that it serves what it served before at its serial (journal_snapshots.hpp).
  const bool resigned_with_aliases =
      aliases == nullptr && std::any_of(records.begin(), records.end(),
                                        [](const Record& r) { return r.type == RRType::ALIAS; });
  ZoneSigning signing{&*stored, {}};
  auto zone =
      build_served_zone(apex, std::move(records), &dnssec, policy, now_s, &signing, aliases);
  if (!zone) return zone;
  const SigningReport& done = signing.report;
  report.signatures_made += done.made;
  report.signatures_reused += done.reused;
  report.signed_zones.push_back({apex, renewal_due(done, policy, now_s), done.renewed != 0});
  // Every signature reused and none gone: the stored rows are the zone's signatures already.
  if (!resigned_with_aliases && (done.made != 0 || done.signatures.size() != stored->size()))
    changes.push_back({apex, std::move(*stored), std::move(signing.report.signatures)});
  return zone;
}

// After the zones were read (no write in the middle of the read transaction), in one
// transaction: a commit per zone would cost a sync each (10,000 small zones signed for the
// first time: 21 s instead of 3). A zone whose rows fail is rolled back alone (its own
// savepoint) and noted; the others are kept.
void store_signatures(Database& db, std::vector<SignatureChange>& changes, LoadReport& report) {
  if (changes.empty()) return;
  if (db.read_only()) {
    for (const auto& c : changes) report.unsaved.push_back(c.apex.to_text() + ": read-only");
    return;
  }
  auto stored = db.transaction([&]() -> Status {
    for (auto& change : changes) {
      auto saved = db.save_zone_signatures(change.apex, change.previous, change.current);
      if (!saved) report.unsaved.push_back(change.apex.to_text() + ": " + saved.error());
      change = {};  // frees the zone's signatures as soon as they are written
    }
    return Ok{};
  });
  if (!stored) report.unsaved.push_back("every zone: " + stored.error());
}

}  // namespace

Result<ZoneIndexPtr> load_zone_index(Database& db, LoadReport& report, const SigningPolicy& policy,
                                     const AliasTable* aliases) {
  // Read before the zones, in one query: the keys of every signed zone, not a query per zone.
  auto signed_zones = db.signed_zones();
  if (!signed_zones) return Error{signed_zones.error()};
  std::map<Name, const ZoneDnssec*, CanonicalLess> keys;
  for (const ZoneDnssec& z : *signed_zones) keys.emplace(z.apex, &z);
  const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  std::vector<ZonePtr> zones;
  std::vector<SignatureChange> changes;
  auto status = db.for_each_zone([&](const Name& apex, std::vector<Record>&& records) {
    auto found = keys.find(apex);
    auto zone = found == keys.end()
                    ? build_served_zone(apex, std::move(records), nullptr, policy, now_s)
                    : build_signed(db, apex, std::move(records), *found->second, policy, now_s,
                                   aliases, report, changes);
    if (!zone) {
      report.rejected.push_back(apex.to_text() + ": " + zone.error());
      return;
    }
    report.records += (*zone)->record_count();
    zones.push_back(std::move(*zone));
  });
  if (!status) return Error{status.error()};
  store_signatures(db, changes, report);
  report.zones = zones.size();
  if (auto added = add_catalog(db, zones, report); !added) return Error{added.error()};
  return ZoneIndex::from_zones(std::move(zones));
}

}  // namespace apex::storage
