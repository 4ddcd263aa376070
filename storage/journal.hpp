// The IXFR journal's rows and bounds (RFC 1995): per zone, the version steps a secondary
// holding an older serial is brought up to date with, instead of the whole zone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace apex::storage {

// How much history each zone keeps ([journal] in the configuration file): the oldest
// versions go first once either bound is passed; a single version larger than max_bytes is
// not kept at all (the zone's history restarts after it, and older secondaries get AXFR).
struct JournalLimits {
  std::size_t max_depth = 100;          // versions per zone
  std::size_t max_bytes = 1024 * 1024;  // octets of differences per zone

  friend bool operator==(const JournalLimits&, const JournalLimits&) = default;
};

struct JournalVersion {
  std::uint32_t from = 0;  // the serial this step leads from
  std::uint32_t to = 0;
  std::vector<std::uint8_t> difference;  // zones/zone_difference.hpp's message form
};

}  // namespace apex::storage
