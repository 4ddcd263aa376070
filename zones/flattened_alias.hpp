// What an ALIAS serves for one address family: the one decision both the answer engine and
// zone transfers use, so a secondary receives exactly the addresses apexd answers with.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "zones/alias_table.hpp"
#include "zones/record.hpp"
#include "zones/zone.hpp"

namespace apex {

struct FlattenedFamily {
  // kAddresses: addresses and ttl below go on the wire; kNoData: the family is absent;
  // kPending and kFailed: nothing fresh, stale or fallback to give.
  AliasState state = AliasState::kPending;
  const RRset* addresses = nullptr;  // points into the alias table
  std::uint32_t ttl = 0;             // min(ALIAS TTL, result TTL): the ALIAS TTL is a cap
  bool stale = false;                // last-known-good served past its TTL (RFC 8767)
};

// The family (RRType::A or RRType::AAAA) of the ALIAS RRset alias held by the zone node
// owned by owner (zone data, not a query name: a wildcard ALIAS is looked up by its
// wildcard owner). The result points into aliases, which must outlive its use.
FlattenedFamily flattened_family(const AliasTable& aliases, std::string_view owner,
                                 const RRset& alias, RRType family);

// The addresses every ALIAS of zone serves now, as A and AAAA records with the TTL served:
// a signed zone publishes them as zone data and signs them with the rest, so a flattened
// answer needs no signature made per query and its Original TTL is the TTL served
// (ARCHITECTURE.md §4, signed ALIAS answers). A family with nothing to serve (pending,
// failed, NODATA) gives no records. ALIAS at or below a delegation is refused by the zone
// rules, so every owner here is authoritative data.
std::vector<Record> flattened_records(const Zone& zone, const AliasTable& aliases);

// What a signed zone's snapshot holds at its ALIAS owners: the A/AAAA it was built and
// signed with (flattened_records of the table of that moment), in the same form.
std::vector<Record> held_flattened_records(const Zone& zone);

}  // namespace apex
