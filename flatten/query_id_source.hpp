// Unpredictable query IDs and UDP source ports from a CSPRNG (RFC 5452 §9.2, §10): the two
// secrets an off-path spoofer must guess.
#pragma once

#include <cstdint>

#include "zones/result.hpp"

namespace apex::flatten {

// Ports below this are privileged or well known; RFC 5452 §10 asks for as many of the rest as
// possible.
inline constexpr std::uint16_t kMinSourcePort = 1024;

class QueryIdSource {
 public:
  // A uniformly random 16-bit query ID. Fails only when the CSPRNG does (it is never replaced
  // by a weaker generator).
  Result<std::uint16_t> query_id();
  // A uniformly random port from kMinSourcePort to 65535.
  Result<std::uint16_t> source_port();

 private:
  Result<std::uint16_t> random_u16();
};

}  // namespace apex::flatten
