// Startup load: stream zones out of SQLite and build each snapshot as it arrives.
#include "storage/zone_loader.hpp"

#include <algorithm>

#include "zones/catalog_zone.hpp"
#include "zones/zone_builder.hpp"

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

Result<ZoneIndexPtr> load_zone_index(Database& db, LoadReport& report) {
  std::vector<ZonePtr> zones;
  auto status = db.for_each_zone([&](const Name& apex, std::vector<Record>&& records) {
    auto zone = build_zone(apex, std::move(records));
    if (!zone) {
      report.rejected.push_back(apex.to_text() + ": " + zone.error());
      return;
    }
    report.records += (*zone)->record_count();
    zones.push_back(std::move(*zone));
  });
  if (!status) return Error{status.error()};
  report.zones = zones.size();
  if (auto added = add_catalog(db, zones, report); !added) return Error{added.error()};
  return ZoneIndex::from_zones(std::move(zones));
}

}  // namespace apex::storage
