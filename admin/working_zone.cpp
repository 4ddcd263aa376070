// A zone's records in memory, grouped into RRsets (RFC 2181 §5).
#include "admin/working_zone.hpp"

#include <algorithm>

namespace apex::admin {

bool RRsetKeyLess::operator()(const RRsetKey& a, const RRsetKey& b) const {
  if (auto c = a.owner.canonical_compare(b.owner); c != 0) return c < 0;
  if (a.type != b.type) return a.type < b.type;
  return a.covered < b.covered;
}

bool RRsetData::contains(const Rdata& rdata) const {
  return std::binary_search(rdatas.begin(), rdatas.end(), rdata);
}

bool RRsetData::same_data(const RRsetData& other) const {
  return ttl == other.ttl && rdatas == other.rdatas;
}

RRsetKey rrset_key(const Name& owner, RRType type) {
  return RRsetKey{owner.lowercased(), type};
}

WorkingZone::WorkingZone(Name apex) : apex_(std::move(apex)) {}

Result<WorkingZone> WorkingZone::from_records(const Name& apex,
                                              const std::vector<Record>& records) {
  WorkingZoneBuilder builder;
  for (const Record& r : records)
    if (auto ok = builder.add(r); !ok) return Error{ok.error()};
  return builder.finish(apex);
}

Status WorkingZoneBuilder::add(Record r) {
  RRsetKey key = rrset_key(r.owner, r.type);
  if (r.type == RRType::RRSIG && r.rdata.size() >= 2)
    key.covered = static_cast<std::uint16_t>(r.rdata[0] << 8 | r.rdata[1]);
  auto [it, fresh] = zone_.rrsets_.try_emplace(std::move(key), RRsetData{r.owner, r.ttl, {}});
  if (!fresh && it->second.ttl != r.ttl) {
    return Error{r.owner.to_text() + " " + rrtype_to_text(r.type) + ": TTL " +
                 std::to_string(r.ttl) + " differs from the RRset's TTL " +
                 std::to_string(it->second.ttl) + " (RFC 2181 §5.2: one TTL per RRset)"};
  }
  it->second.rdatas.push_back(std::move(r.rdata));
  return Ok{};
}

WorkingZone WorkingZoneBuilder::finish(Name apex) {
  zone_.apex_ = std::move(apex);
  for (auto& [key, rrset] : zone_.rrsets_) {
    std::sort(rrset.rdatas.begin(), rrset.rdatas.end());
    rrset.rdatas.erase(std::unique(rrset.rdatas.begin(), rrset.rdatas.end()), rrset.rdatas.end());
    rrset.rdatas.shrink_to_fit();
  }
  return std::move(zone_);
}

std::size_t WorkingZone::record_count() const {
  std::size_t count = 0;
  for (const auto& [key, rrset] : rrsets_) count += rrset.rdatas.size();
  return count;
}

const RRsetData* WorkingZone::find(const Name& owner, RRType type) const {
  auto it = rrsets_.find(rrset_key(owner, type));
  return it == rrsets_.end() ? nullptr : &it->second;
}

std::vector<WorkingZone::TypedRRset> WorkingZone::at(const Name& owner) const {
  std::vector<TypedRRset> found;
  const Name key = owner.lowercased();
  for (auto it = rrsets_.lower_bound(RRsetKey{key, RRType{0}});
       it != rrsets_.end() && it->first.owner == key; ++it) {
    found.push_back(TypedRRset{it->first.type, &it->second});
  }
  return found;
}

void WorkingZone::set(RRType type, RRsetData rrset) {
  auto key = rrset_key(rrset.owner, type);
  if (rrset.rdatas.empty()) {
    rrsets_.erase(key);
    return;
  }
  std::sort(rrset.rdatas.begin(), rrset.rdatas.end());
  rrset.rdatas.erase(std::unique(rrset.rdatas.begin(), rrset.rdatas.end()), rrset.rdatas.end());
  rrsets_.insert_or_assign(std::move(key), std::move(rrset));
}

bool WorkingZone::erase(const Name& owner, RRType type) {
  return rrsets_.erase(rrset_key(owner, type)) > 0;
}

std::vector<Record> WorkingZone::records_of(RRType type, const RRsetData& rrset) {
  std::vector<Record> records;
  records.reserve(rrset.rdatas.size());
  for (const Rdata& rdata : rrset.rdatas) {
    records.push_back(Record{rrset.owner, type, RRClass::IN, rrset.ttl, rdata});
  }
  return records;
}

std::vector<Record> WorkingZone::to_records() const {
  std::vector<Record> records;
  records.reserve(record_count());
  for (const auto& [key, rrset] : rrsets_) {
    for (const Rdata& rdata : rrset.rdatas) {
      records.push_back(Record{rrset.owner, key.type, RRClass::IN, rrset.ttl, rdata});
    }
  }
  return records;
}

Status WorkingZone::for_each_record(const RecordSink& each) const {
  for (const auto& [key, rrset] : rrsets_) {
    for (const Rdata& rdata : rrset.rdatas) {
      if (auto ok = each(Record{rrset.owner, key.type, RRClass::IN, rrset.ttl, rdata}); !ok)
        return ok;
    }
  }
  return Ok{};
}

bool operator==(const WorkingZone& a, const WorkingZone& b) {
  return a.rrsets_.size() == b.rrsets_.size() &&
         std::equal(a.rrsets_.begin(), a.rrsets_.end(), b.rrsets_.begin(),
                    [](const auto& x, const auto& y) {
                      return x.first.type == y.first.type && x.first.owner == y.first.owner &&
                             x.second.same_data(y.second);
                    });
}

}  // namespace apex::admin
