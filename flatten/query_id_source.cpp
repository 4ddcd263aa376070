// Query IDs and source ports from OpenSSL's CSPRNG (RFC 5452 §9.2, §10).
#include "flatten/query_id_source.hpp"

#include <openssl/rand.h>

namespace apex::flatten {
namespace {

// Rejection sampling keeps ports uniform; each draw is rejected with probability 1024/65536,
// so 64 draws all failing is beyond any practical chance, and a bound keeps it a loop that ends.
constexpr int kMaxPortDraws = 64;

}  // namespace

Result<std::uint16_t> QueryIdSource::random_u16() {
  unsigned char bytes[2];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return Error{"the CSPRNG (OpenSSL RAND_bytes) failed"};
  return static_cast<std::uint16_t>(bytes[0] << 8 | bytes[1]);
}

Result<std::uint16_t> QueryIdSource::query_id() {
  return random_u16();
}

Result<std::uint16_t> QueryIdSource::source_port() {
  for (int i = 0; i < kMaxPortDraws; ++i) {
    auto r = random_u16();
    if (!r || *r >= kMinSourcePort) return r;
  }
  return Error{"no source port drawn in range"};
}

}  // namespace apex::flatten
