// What apexd needs to be the primary of other servers: TSIG keys (RFC 8945) and the
// secondaries that may transfer zones (RFC 5936 §6) and are sent NOTIFY (RFC 1996).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zones/name.hpp"

namespace apex::storage {

struct TsigKey {
  Name name;                         // lower-case (RFC 8945 §4.2 compares it as a domain name)
  std::string algorithm;             // "hmac-sha256", without the trailing dot
  std::vector<std::uint8_t> secret;  // raw octets
};

struct Secondary {
  std::string address;  // IPv4 dotted quad or IPv6 in RFC 5952 form, no brackets
  std::uint16_t port = 53;
  std::optional<Name> key;  // the TSIG key transfers and NOTIFY are signed with
  bool all_zones = true;    // every zone, present and future
  std::vector<Name> zones;  // when !all_zones: the zones it gets, lower-case, in name order

  // "192.0.2.1:53", "[2001:db8::1]:53".
  std::string endpoint() const {
    const bool v6 = address.find(':') != std::string::npos;
    return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
  }
  bool gets_zone(const Name& apex) const;
};

// Everything, read in one transaction: keys by name, secondaries by address and port.
struct TransferSettings {
  std::vector<TsigKey> keys;
  std::vector<Secondary> secondaries;

  const TsigKey* find_key(const Name& name) const;
  const Secondary* find_secondary(const std::string& address, std::uint16_t port) const;
  // The secondaries that sign with key, by endpoint text (for refusing its deletion).
  std::vector<std::string> users_of(const Name& key) const;
};

}  // namespace apex::storage
