// The whole content of a zone snapshot as a transfer carries it (RFC 5936 §2.2), ALIAS owners
// holding the A/AAAA they are answered with.
#pragma once

#include <cstddef>

#include "zones/alias_table.hpp"
#include "zones/transfer_source.hpp"
#include "zones/zone.hpp"

namespace apex {

// SOA, then every other RRset of the zone exactly once, then the SOA again. Glue, the NS
// RRsets at delegations and DS are zone data and go too. An ALIAS is replaced by the
// flattened A and AAAA apexd serves for its owner (same TTL, stale and fallback addresses as
// served); a family with nothing to serve (pending, failed, NODATA) adds nothing. The
// private ALIAS type never leaves. A signed zone's snapshot holds those addresses as zone
// data, signed, so there the ALIAS is only left out. Walks the snapshot in place, which the source
// keeps alive with the alias table: nothing is copied.
class ZoneContents final : public TransferSource {
 public:
  ZoneContents(ZonePtr zone, AliasTablePtr aliases);
  bool next(RRsetRef& out) override;

 private:
  enum class Step { kFirstSoa, kNodes, kLastSoa, kDone };

  bool next_in_nodes(RRsetRef& out);
  bool next_flattened(const Node& node, const RRset& alias, RRsetRef& out);
  RRsetRef soa() const;

  ZonePtr zone_;
  AliasTablePtr aliases_;
  Step step_ = Step::kFirstSoa;
  Zone::NodeMap::const_iterator node_;
  std::size_t rrset_ = 0;   // in the current node
  std::size_t family_ = 0;  // within an ALIAS: 0 for A, 1 for AAAA, 2 when both are done
};

}  // namespace apex
