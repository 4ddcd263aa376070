// One resource record as zone data: owner, type, class, TTL and uncompressed RDATA.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"

namespace apex {

inline constexpr std::uint32_t kMaxTtl = 0x7fffffff;  // RFC 2181 §8

struct Record {
  Name owner;
  RRType type = RRType::A;
  RRClass rrclass = RRClass::IN;
  std::uint32_t ttl = 0;
  std::vector<std::uint8_t> rdata;  // uncompressed wire form

  friend bool operator==(const Record&, const Record&) = default;
};

// Receives records one at a time; an error stops the sender and is returned as it is. A
// large zone passes through sinks instead of being copied whole from one form into another.
using RecordSink = std::function<Status(Record)>;
// Sends its records to the sink one at a time, stopping at the sink's first error.
using RecordSource = std::function<Status(const RecordSink&)>;

}  // namespace apex
