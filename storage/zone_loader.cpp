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
  auto status = db.for_each_zone([&](const Name& apex, std::vector<Record>&& records) {
    auto found = keys.find(apex);
    const ZoneDnssec* dnssec = found == keys.end() ? nullptr : found->second;
    auto zone = build_served_zone(apex, std::move(records), dnssec, policy, now_s, aliases);
    if (!zone) {
      report.rejected.push_back(apex.to_text() + ": " + zone.error());
      return;
    }
    if (dnssec != nullptr) report.signed_zones.push_back(apex);
    report.records += (*zone)->record_count();
    zones.push_back(std::move(*zone));
  });
  if (!status) return Error{status.error()};
  report.zones = zones.size();
  if (auto added = add_catalog(db, zones, report); !added) return Error{added.error()};
  return ZoneIndex::from_zones(std::move(zones));
}

}  // namespace apex::storage
