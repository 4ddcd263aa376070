// What changed between two versions of a zone, per RRset and per record.
#include "admin/zone_diff.hpp"

#include <algorithm>
#include <iterator>

#include "zones/soa_serial.hpp"

namespace apex::admin {

std::vector<RRsetChange> diff_rrsets(const WorkingZone* before, const WorkingZone* after) {
  static const WorkingZone::Map kEmpty;
  const auto& a = before ? before->rrsets() : kEmpty;
  const auto& b = after ? after->rrsets() : kEmpty;
  const RRsetKeyLess less;
  std::vector<RRsetChange> changes;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() || j != b.end()) {
    if (j == b.end() || (i != a.end() && less(i->first, j->first))) {
      changes.push_back({i->first, &i->second, nullptr});
      ++i;
    } else if (i == a.end() || less(j->first, i->first)) {
      changes.push_back({j->first, nullptr, &j->second});
      ++j;
    } else {
      if (!i->second.same_data(j->second)) changes.push_back({i->first, &i->second, &j->second});
      ++i;
      ++j;
    }
  }
  return changes;
}

namespace {

// Records of from whose RDATA is not in other (every record when other is null).
void append_missing(RRType type, const RRsetData* from, const RRsetData* other,
                    std::vector<Record>& out) {
  if (from == nullptr) return;
  for (const Rdata& rdata : from->rdatas) {
    if (other == nullptr || !other->contains(rdata)) {
      out.push_back(Record{from->owner, type, RRClass::IN, from->ttl, rdata});
    }
  }
}

}  // namespace

RecordChanges record_changes(const std::vector<RRsetChange>& changes) {
  RecordChanges out;
  for (const RRsetChange& c : changes) {
    const bool same_ttl = c.before && c.after && c.before->ttl == c.after->ttl;
    append_missing(c.key.type, c.before, same_ttl ? c.after : nullptr, out.removed);
    append_missing(c.key.type, c.after, same_ttl ? c.before : nullptr, out.added);
  }
  return out;
}

void drop_serial_only_soa(RecordChanges& changes) {
  auto is_soa = [](const Record& r) { return r.type == RRType::SOA; };
  auto old_soa = std::find_if(changes.removed.begin(), changes.removed.end(), is_soa);
  auto new_soa = std::find_if(changes.added.begin(), changes.added.end(), is_soa);
  if (old_soa == changes.removed.end() || new_soa == changes.added.end()) return;
  auto serial = soa_serial(new_soa->rdata);
  if (!serial || old_soa->ttl != new_soa->ttl) return;
  auto same = with_soa_serial(old_soa->rdata, *serial);
  if (!same || *same != new_soa->rdata) return;
  changes.removed.erase(old_soa);
  changes.added.erase(new_soa);
}

}  // namespace apex::admin
