// DNSKEY RDATA (RFC 4034 §2): flags, protocol, algorithm, public key; and its key tag
// (RFC 4034 Appendix B).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/dnssec_algorithm.hpp"
#include "zones/result.hpp"

namespace apex {

inline constexpr std::uint16_t kDnskeyZoneFlag = 0x0100;  // RFC 4034 §2.1.1, bit 7
inline constexpr std::uint16_t kDnskeySepFlag = 0x0001;   // RFC 4034 §2.1.1, bit 15
// A combined signing key signs the whole zone and is the one the parent's DS names: 257.
inline constexpr std::uint16_t kCskFlags = kDnskeyZoneFlag | kDnskeySepFlag;
inline constexpr std::uint8_t kDnskeyProtocol = 3;  // RFC 4034 §2.1.2: always 3

struct DnskeyFields {
  std::uint16_t flags = 0;
  std::uint8_t protocol = 0;
  std::uint8_t algorithm = 0;
  std::span<const std::uint8_t> public_key;
};

std::vector<std::uint8_t> dnskey_rdata(std::uint16_t flags, DnssecAlgorithm algorithm,
                                       std::span<const std::uint8_t> public_key);

// The fields of DNSKEY RDATA; an error when it is shorter than 5 octets.
Result<DnskeyFields> parse_dnskey(std::span<const std::uint8_t> rdata);

// RFC 4034 Appendix B: the ones'-complement-like sum over the RDATA (not for algorithm 1).
std::uint16_t key_tag(std::span<const std::uint8_t> dnskey_rdata);

}  // namespace apex
