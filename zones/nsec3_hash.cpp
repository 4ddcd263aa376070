// NSEC3 hashed owner names (RFC 5155 §5) and NSEC3PARAM RDATA (RFC 5155 §4).
// OpenSSL 3.0's EVP digests create a provider context on every digest (EVP_Digest: three
// allocations; a reused EVP_MD_CTX: one), and the answer engine hashes names per query for
// NSEC3 proofs, where nothing may allocate (ARCHITECTURE.md §3.1). The SHA-1 functions on a
// stack context allocate nothing; they are deprecated in 3.0, not removed.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "zones/nsec3_hash.hpp"

#include <openssl/sha.h>

#include <algorithm>

#include "zones/base_encoding.hpp"

namespace apex {

std::array<std::uint8_t, kNsec3HashLength> nsec3_hash_wire(std::span<const std::uint8_t> name,
                                                           std::span<const std::uint8_t> salt,
                                                           std::uint16_t iterations) {
  std::array<std::uint8_t, 255 + 255> input{};
  std::copy(name.begin(), name.end(), input.begin());
  std::size_t length = name.size();
  std::array<std::uint8_t, kNsec3HashLength> digest{};
  for (std::uint32_t round = 0; round <= iterations; ++round) {
    std::copy(salt.begin(), salt.end(), input.begin() + static_cast<std::ptrdiff_t>(length));
    SHA_CTX sha;
    SHA1_Init(&sha);
    SHA1_Update(&sha, input.data(), length + salt.size());
    SHA1_Final(digest.data(), &sha);
    std::copy(digest.begin(), digest.end(), input.begin());
    length = digest.size();
  }
  return digest;
}

std::array<std::uint8_t, kNsec3HashLength> nsec3_hash(const Name& name,
                                                      std::span<const std::uint8_t> salt,
                                                      std::uint16_t iterations) {
  const Name canonical = name.lowercased();
  return nsec3_hash_wire(canonical.wire(), salt.subspan(0, std::min<std::size_t>(salt.size(), 255)),
                         iterations);
}

Result<Name> nsec3_owner(std::span<const std::uint8_t> hash, const Name& apex) {
  return apex.prepend(base32hex_encode(hash));
}

std::vector<std::uint8_t> nsec3param_rdata(const Nsec3Parameters& parameters) {
  std::vector<std::uint8_t> out;
  out.reserve(5 + parameters.salt.size());
  for (std::uint8_t octet :
       {kNsec3HashSha1, std::uint8_t{0}, static_cast<std::uint8_t>(parameters.iterations >> 8),
        static_cast<std::uint8_t>(parameters.iterations),
        static_cast<std::uint8_t>(parameters.salt.size())})
    out.push_back(octet);
  out.insert(out.end(), parameters.salt.begin(), parameters.salt.end());
  return out;
}

}  // namespace apex
