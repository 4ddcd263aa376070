// A digest of everything a zone snapshot serves as zone data (every RRset but the private
// ALIAS type, SOA included, with TTLs), in an order independent of how the snapshot stores
// it: two snapshots with the same digest give secondaries the same zone, whichever build
// made them. Lets a signed zone's IXFR history go on across a restart (storage/
// journal_snapshots.hpp): a snapshot rebuilt from stored signatures is recognised as the
// one served before at its serial.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "zones/zone.hpp"

namespace apex {

using SnapshotDigest = std::array<std::uint8_t, 32>;

// SHA-256 over the nodes in the order of their lower-cased wire owners, each node's RRsets
// in type order (an RRSIG RRset by the type it covers), each RRset's TTL and its records'
// RDATA in ascending order. None only when OpenSSL cannot allocate.
std::optional<SnapshotDigest> snapshot_digest(const Zone& zone);

}  // namespace apex
