// NSEC3 hashed owner names (RFC 5155 §5): SHA-1 over the canonical name and salt, iterated,
// written as one base32hex label under the zone apex; and the NSEC3PARAM RDATA (§4).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex {

inline constexpr std::uint8_t kNsec3HashSha1 = 1;       // RFC 5155 §11: the only algorithm
inline constexpr std::uint8_t kNsec3OptOutFlag = 0x01;  // RFC 5155 §3.1.2.1
inline constexpr std::size_t kNsec3HashLength = 20;

// RFC 9276 §3.1: no extra iterations and no salt unless there is a reason for them.
struct Nsec3Parameters {
  std::uint16_t iterations = 0;
  std::vector<std::uint8_t> salt;
  bool opt_out = false;  // unsigned delegations are left out of the chain (RFC 5155 §6)
};

// IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) || salt), over the
// owner name in canonical (lower-case) wire form (RFC 5155 §5).
std::array<std::uint8_t, kNsec3HashLength> nsec3_hash(const Name& name,
                                                      std::span<const std::uint8_t> salt,
                                                      std::uint16_t iterations);

// The same over a lower-cased wire name, without allocating: what the answer engine hashes
// at query time for NSEC3 proofs (RFC 5155 §7.2). The salt is at most 255 octets (§3.1.5).
std::array<std::uint8_t, kNsec3HashLength> nsec3_hash_wire(std::span<const std::uint8_t> name,
                                                           std::span<const std::uint8_t> salt,
                                                           std::uint16_t iterations);

// base32hex(hash) "." apex: where the NSEC3 record for name lives (RFC 5155 §3).
Result<Name> nsec3_owner(std::span<const std::uint8_t> hash, const Name& apex);

// NSEC3PARAM RDATA: SHA-1, flags 0 (RFC 5155 §4.1.2: opt-out is not told here), the
// iterations and salt.
std::vector<std::uint8_t> nsec3param_rdata(const Nsec3Parameters& parameters);

}  // namespace apex
