// The A/AAAA records a zone's ALIAS owners serve, as a transfer carries them: what a
// secondary holds of them at a serial, and what changes of them put into the journal.
#pragma once

#include <vector>

#include "zones/name.hpp"
#include "zones/record.hpp"

namespace apex::server {

// Sorted by owner (canonical order), type and RDATA.
using ServedAddresses = std::vector<Record>;

// Same owners, types and RDATA; TTLs are not compared (a TTL alone moves no serial).
bool same_addresses(const ServedAddresses& a, const ServedAddresses& b);

// The records of from that to lacks (owner, type and RDATA compared), in from's order.
std::vector<Record> missing_from(const ServedAddresses& from, const ServedAddresses& to);

// A zone whose served addresses changed, with what it served before. A signed zone holds
// them as signed zone data, with their TTLs (ARCHITECTURE.md §4, signed ALIAS answers).
struct ServedChange {
  Name apex;
  ServedAddresses before;
  bool is_signed = false;
};

}  // namespace apex::server
