// Stored zones read on demand for the cross-zone rules.
#include "admin/stored_zones.hpp"

namespace apex::admin {

Result<std::optional<Name>> StoredZones::enclosing_zone(const Name& name) {
  return db_.find_enclosing_zone(name);
}

Result<const WorkingZone*> StoredZones::zone_content(const Name& apex) {
  const Name key = apex.lowercased();
  auto it = zones_.find(key);
  if (it == zones_.end()) {
    auto records = db_.zone_records(key);
    if (!records) return Error{records.error()};
    std::optional<WorkingZone> zone;
    if (*records) {
      // A zone whose records cannot be grouped fails its own check; it has no hops here.
      if (auto grouped = WorkingZone::from_records(key, **records))
        zone = std::move(grouped).value();
    }
    if (zones_.size() >= kCachedZones) zones_.clear();
    it = zones_.emplace(key, std::move(zone)).first;
  }
  return it->second ? &*it->second : nullptr;
}

Result<std::vector<Name>> StoredZones::zones_below(const Name& apex) {
  if (!apexes_) {
    auto stored = db_.list_zones();
    if (!stored) return Error{stored.error()};
    apexes_.emplace();
    for (const storage::ZoneSummary& z : *stored) apexes_->insert(z.apex.lowercased());
  }
  std::vector<Name> below;
  const Name top = apex.lowercased();
  for (auto it = apexes_->upper_bound(top); it != apexes_->end() && it->is_subdomain_of(top); ++it)
    below.push_back(*it);
  return below;
}

}  // namespace apex::admin
