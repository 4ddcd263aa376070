// Zone snapshot accessors; the snapshot is built and validated by zone_builder.cpp.
#include "zones/zone.hpp"

#include <algorithm>

namespace apex {
namespace {

std::uint32_t read_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

// The 20 octets after MNAME and RNAME: SERIAL REFRESH RETRY EXPIRE MINIMUM (RFC 1035 §3.3.13).
const std::uint8_t* soa_counters(const RRset& soa) {
  const std::uint8_t* rdata = soa.rdata.data() + 2;
  std::size_t len = static_cast<std::size_t>(soa.rdata[0]) << 8 | soa.rdata[1];
  return rdata + len - 20;
}

}  // namespace

Zone::Zone(Name apex, NodeMap nodes)
    : apex_(std::move(apex)),
      apex_key_(apex_.lowercased().wire_view()),
      apex_labels_(apex_.label_count()),
      nodes_(std::move(nodes)) {
  apex_node_ = find(apex_key_);
  soa_ = apex_node_->find(RRType::SOA);
  negative_ttl_ = std::min(soa_->ttl, read_u32(soa_counters(*soa_) + 16));
  std::vector<const Node*> nsec_owners, nsec3_owners;
  for (const auto& [key, node] : nodes_) {
    for (const auto& set : node.rrsets) record_count_ += set.count;
    if (node.find(RRType::NSEC)) nsec_owners.push_back(&node);
    if (node.find(RRType::NSEC3)) nsec3_owners.push_back(&node);
  }
  nsec_ = NsecLookup(std::move(nsec_owners));
  nsec3_ = Nsec3Lookup(*apex_node_, std::move(nsec3_owners));
}

std::uint32_t Zone::serial() const {
  return read_u32(soa_counters(*soa_));
}

std::vector<std::span<const std::uint8_t>> rrset_rdatas(const RRset& set) {
  std::vector<std::span<const std::uint8_t>> out;
  out.reserve(set.count);
  const std::uint8_t* p = set.rdata.data();
  const std::uint8_t* end = p + set.rdata.size();
  while (end - p >= 2) {
    const std::size_t length = static_cast<std::size_t>(p[0] << 8 | p[1]);
    p += 2;
    if (static_cast<std::size_t>(end - p) < length) break;
    out.emplace_back(p, length);
    p += length;
  }
  return out;
}

bool rdata_less(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

std::vector<std::span<const std::uint8_t>> sorted_rrset_rdatas(const RRset& set) {
  std::vector<std::span<const std::uint8_t>> out = rrset_rdatas(set);
  std::sort(out.begin(), out.end(), rdata_less);
  return out;
}

}  // namespace apex
