// Address prefixes (CIDR, RFC 4632 §3.1): the client blocks response rate limiting accounts
// by, and the exempt list it never limits.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "zones/result.hpp"

namespace apex::server {

struct AddressPrefix {
  sa_family_t family = AF_INET;
  std::array<std::uint8_t, 16> bytes{};  // the network part; bits past length are zero
  std::uint8_t length = 0;               // in bits

  // Whether a peer's address (AF_INET or AF_INET6) lies inside.
  bool contains(const sockaddr_storage& peer) const;
  // "192.0.2.0/24", "2001:db8::/56".
  std::string to_text() const;

  friend bool operator==(const AddressPrefix&, const AddressPrefix&) = default;
};

// The prefix of length bits around a peer's address (length is capped at the family's size).
AddressPrefix prefix_of(const sockaddr_storage& peer, unsigned length);

// "ADDR/LEN" or a bare address (a host prefix); host bits past LEN are ignored, as BIND does.
Result<AddressPrefix> parse_address_prefix(std::string_view text);

}  // namespace apex::server
