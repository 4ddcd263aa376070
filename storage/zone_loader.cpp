// Startup load: stream zones out of SQLite and build each snapshot as it arrives.
#include "storage/zone_loader.hpp"

#include "zones/zone_builder.hpp"

namespace apex::storage {

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
  return ZoneIndex::from_zones(std::move(zones));
}

}  // namespace apex::storage
