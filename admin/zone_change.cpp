// A change to one stored zone's records, checked as a whole before anything is written.
#include "admin/zone_change.hpp"

#include <algorithm>
#include <optional>

#include "admin/soa_serial.hpp"
#include "zones/zone_builder.hpp"

namespace apex::admin {
namespace {

bool contains(const std::vector<Record>& records, const Record& r) {
  return std::find(records.begin(), records.end(), r) != records.end();
}

bool is_apex_soa(const Record& r, const Name& apex) {
  return r.type == RRType::SOA && r.owner == apex;
}

std::optional<Record> find_apex_soa(const std::vector<Record>& records, const Name& apex) {
  auto it = std::find_if(records.begin(), records.end(),
                         [&](const Record& r) { return is_apex_soa(r, apex); });
  if (it == records.end()) return std::nullopt;
  return *it;
}

// Moves the serial of the SOA in next forward from old_soa's, and records the SOA swap in plan.
Status advance_serial(const Record& old_soa, std::vector<Record>& next, PlannedChange& plan) {
  auto it = std::find_if(next.begin(), next.end(),
                         [&](const Record& r) { return is_apex_soa(r, old_soa.owner); });
  // No SOA left: build_zone refuses the zone and says why.
  if (it == next.end()) return Ok{};
  auto old_serial = soa_serial(old_soa.rdata);
  auto proposed = soa_serial(it->rdata);
  if (!old_serial) return Error{old_serial.error()};
  if (!proposed) return Error{proposed.error()};
  plan.serial = next_serial(*old_serial, *proposed);
  auto rdata = with_soa_serial(it->rdata, plan.serial);
  if (!rdata) return Error{rdata.error()};
  it->rdata = std::move(rdata).value();
  std::erase_if(plan.added, [&](const Record& r) { return is_apex_soa(r, old_soa.owner); });
  plan.added.push_back(*it);
  if (!contains(plan.removed, old_soa)) plan.removed.push_back(old_soa);
  return Ok{};
}

}  // namespace

Result<PlannedChange> plan_zone_change(const Name& apex, const std::vector<Record>& current,
                                       const ZoneChange& change) {
  PlannedChange plan{change.removed, change.added, 0};
  std::vector<Record> next;
  next.reserve(current.size() + change.added.size());
  for (const Record& r : current) {
    if (!contains(change.removed, r)) next.push_back(r);
  }
  next.insert(next.end(), change.added.begin(), change.added.end());
  if (auto old_soa = find_apex_soa(current, apex)) {
    if (auto advanced = advance_serial(*old_soa, next, plan); !advanced) {
      return Error{advanced.error()};
    }
  }
  auto zone = build_zone(apex, std::move(next));
  if (!zone) return Error{zone.error()};
  return plan;
}

Status write_zone_change(storage::Database& db, const Name& apex, const PlannedChange& plan) {
  for (const Record& r : plan.removed) {
    auto deleted = db.delete_record(apex, r);
    if (!deleted) return Error{deleted.error()};
  }
  return db.add_records(apex, plan.added);
}

}  // namespace apex::admin
