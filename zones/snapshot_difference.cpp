// Record-level difference of two zone snapshots (see snapshot_difference.hpp).
#include "zones/snapshot_difference.hpp"

#include <algorithm>
#include <optional>
#include <span>

namespace apex {
namespace {

using Rdata = std::span<const std::uint8_t>;

// Types that never leave as zone data: the SOA frames the step, ALIAS is private.
bool framed_or_private(const RRset& set) {
  return set.type == RRType::SOA || set.type == RRType::ALIAS;
}

// The RRset of the same type at the other snapshot's node; for RRSIG, the one covering the
// same type, since a node holds one RRSIG RRset per covered type.
const RRset* counterpart(const Node* node, const RRset& set) {
  if (node == nullptr) return nullptr;
  for (const RRset& other : node->rrsets) {
    if (other.type != set.type) continue;
    if (set.type != RRType::RRSIG || other.covered_type() == set.covered_type()) return &other;
  }
  return nullptr;
}

// Appends the records of set (at owner) that other does not hold with the same TTL.
void append_missing(const Name& owner, const RRset& set, const RRset* other,
                    std::vector<Record>& out) {
  const std::vector<Rdata> theirs = other != nullptr && other->ttl == set.ttl
                                        ? sorted_rrset_rdatas(*other)
                                        : std::vector<Rdata>{};
  for (Rdata rdata : sorted_rrset_rdatas(set)) {
    if (std::binary_search(theirs.begin(), theirs.end(), rdata, rdata_less)) continue;
    out.push_back(Record{owner, set.type, RRClass::IN, set.ttl, {rdata.begin(), rdata.end()}});
  }
}

// Every record of from's nodes that to does not hold, into out.
Status records_missing(const Zone& from, const Zone& to, std::vector<Record>& out) {
  for (const auto& [key, node] : from.nodes()) {
    const Node* other = to.find(key);
    std::optional<Name> owner;
    for (const RRset& set : node.rrsets) {
      if (framed_or_private(set)) continue;
      const RRset* theirs = counterpart(other, set);
      if (theirs != nullptr && theirs->ttl == set.ttl && theirs->rdata == set.rdata) continue;
      if (!owner) {
        auto name = Name::from_wire(
            {reinterpret_cast<const std::uint8_t*>(node.owner.data()), node.owner.size()});
        if (!name) return Error{"snapshot owner: " + name.error()};
        owner = std::move(*name);
      }
      append_missing(*owner, set, theirs, out);
    }
  }
  return Ok{};
}

void sort_canonically(std::vector<Record>& records) {
  std::sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    if (auto order = a.owner.canonical_compare(b.owner); order != 0) return order < 0;
    if (a.type != b.type) return a.type < b.type;
    return rdata_less(a.rdata, b.rdata);
  });
}

Record soa_record(const Zone& zone) {
  const RRset& soa = zone.soa();
  std::vector<Rdata> rdata = rrset_rdatas(soa);
  return Record{zone.apex(), RRType::SOA, RRClass::IN, soa.ttl,
                rdata.empty() ? std::vector<std::uint8_t>{}
                              : std::vector<std::uint8_t>(rdata[0].begin(), rdata[0].end())};
}

}  // namespace

Result<ZoneDifference> snapshot_difference(const Zone& before, const Zone& after) {
  ZoneDifference d;
  d.old_soa = soa_record(before);
  d.new_soa = soa_record(after);
  if (auto ok = records_missing(before, after, d.deleted); !ok) return Error{ok.error()};
  if (auto ok = records_missing(after, before, d.added); !ok) return Error{ok.error()};
  sort_canonically(d.deleted);
  sort_canonically(d.added);
  return d;
}

}  // namespace apex
