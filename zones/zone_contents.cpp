// Walks a zone snapshot node by node with saved iterator state, for AXFR (RFC 5936 §2.2).
#include "zones/zone_contents.hpp"

#include "zones/flattened_alias.hpp"

namespace apex {

ZoneContents::ZoneContents(ZonePtr zone, AliasTablePtr aliases)
    : zone_(std::move(zone)),
      aliases_(aliases ? std::move(aliases) : std::make_shared<const AliasTable>()),
      node_(zone_->nodes().begin()) {}

RRsetRef ZoneContents::soa() const {
  const RRset& soa = zone_->soa();
  return RRsetRef{zone_->apex_node().owner, &soa, soa.ttl};
}

bool ZoneContents::next(RRsetRef& out) {
  switch (step_) {
    case Step::kFirstSoa:
      step_ = Step::kNodes;
      out = soa();
      return true;
    case Step::kNodes:
      if (next_in_nodes(out)) return true;
      [[fallthrough]];
    case Step::kLastSoa:
      step_ = Step::kDone;
      out = soa();
      return true;
    case Step::kDone:
      break;
  }
  return false;
}

// Zone validation keeps the SOA at the apex, alone of its type, so skipping the type skips
// exactly the RRset that frames the transfer.
bool ZoneContents::next_in_nodes(RRsetRef& out) {
  for (; node_ != zone_->nodes().end(); ++node_, rrset_ = 0) {
    const Node& node = node_->second;
    for (; rrset_ < node.rrsets.size(); ++rrset_) {
      const RRset& set = node.rrsets[rrset_];
      if (set.type == RRType::SOA) continue;
      if (set.type == RRType::ALIAS) {
        // A signed zone holds its flattened addresses (signed) as zone data already.
        if (!zone_->is_signed() && next_flattened(node, set, out)) return true;
        family_ = 0;
        continue;
      }
      out = RRsetRef{node.owner, &set, set.ttl};
      ++rrset_;
      return true;
    }
  }
  return false;
}

bool ZoneContents::next_flattened(const Node& node, const RRset& alias, RRsetRef& out) {
  static constexpr RRType kFamilies[] = {RRType::A, RRType::AAAA};
  while (family_ < 2) {
    const FlattenedFamily served =
        flattened_family(*aliases_, node.owner, alias, kFamilies[family_++]);
    if (served.state != AliasState::kAddresses) continue;
    out = RRsetRef{node.owner, served.addresses, served.ttl};
    return true;
  }
  return false;
}

}  // namespace apex
