// What changed between two versions of a zone, per RRset and per record.
#pragma once

#include <vector>

#include "admin/working_zone.hpp"
#include "zones/record.hpp"

namespace apex::admin {

struct RRsetChange {
  RRsetKey key;
  const RRsetData* before = nullptr;  // null: the RRset is new
  const RRsetData* after = nullptr;   // null: the RRset is gone
};

// The RRsets whose TTL or RDATA differ, in canonical order. A missing zone counts as empty.
std::vector<RRsetChange> diff_rrsets(const WorkingZone* before, const WorkingZone* after);

struct RecordChanges {
  std::vector<Record> removed;
  std::vector<Record> added;
};

// The records behind RRset changes; a changed TTL removes and adds every record of the RRset.
RecordChanges record_changes(const std::vector<RRsetChange>& changes);

// Drops the removed/added SOA pair when they differ in nothing but SERIAL: the serial moves
// with every change and is reported on its own, not as a changed record.
void drop_serial_only_soa(RecordChanges& changes);

}  // namespace apex::admin
