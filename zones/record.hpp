// One resource record as zone data: owner, type, class, TTL and uncompressed RDATA.
#pragma once

#include <cstdint>
#include <vector>

#include "zones/name.hpp"
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

}  // namespace apex
