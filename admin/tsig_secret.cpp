// TSIG shared secrets (RFC 8945 §8): generated from the CSPRNG, or read from base64 text.
#include "admin/tsig_secret.hpp"

#include <openssl/rand.h>

#include <string>

#include "zones/base_encoding.hpp"

namespace apex::admin {

Result<std::vector<std::uint8_t>> random_tsig_secret(std::size_t octets) {
  std::vector<std::uint8_t> secret(octets);
  if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1)
    return Error{"the CSPRNG (OpenSSL RAND_bytes) failed"};
  return secret;
}

Result<std::vector<std::uint8_t>> tsig_secret_argument(std::string_view text) {
  auto secret = base64_decode(text);
  if (!secret || secret->empty()) return Error{"invalid --secret: not base64 (RFC 4648 §4)"};
  if (secret->size() < kMinTsigSecretOctets) {
    return Error{"invalid --secret: " + std::to_string(secret->size()) +
                 " octets is too short, at least " + std::to_string(kMinTsigSecretOctets) +
                 " are needed (omit --secret to generate one)"};
  }
  return std::move(*secret);
}

}  // namespace apex::admin
