// A secondary's address and port as apexctl reads them: ADDR[:PORT], IPv6 in brackets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "zones/result.hpp"

namespace apex::admin {

struct SecondaryEndpoint {
  std::string address;  // canonical: dotted quad, or RFC 5952 IPv6 without brackets
  std::uint16_t port = 53;
};

// "192.0.2.1", "192.0.2.1:5300", "[2001:db8::1]", "[2001:db8::1]:5300". The address is stored
// in canonical form, so one secondary cannot be added twice under two spellings. Unspecified
// addresses (0.0.0.0, ::) are refused: nothing can be sent a NOTIFY there.
Result<SecondaryEndpoint> secondary_endpoint_argument(std::string_view text);

}  // namespace apex::admin
