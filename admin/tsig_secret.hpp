// TSIG shared secrets (RFC 8945 §8): generated from the CSPRNG, or read from base64 text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "zones/result.hpp"

namespace apex::admin {

// The shortest secret apexctl stores: 128 bits, so no key is easier to guess than the
// weakest security strength a supported HMAC offers.
inline constexpr std::size_t kMinTsigSecretOctets = 16;

// octets random octets from OpenSSL's CSPRNG (RAND_bytes).
Result<std::vector<std::uint8_t>> random_tsig_secret(std::size_t octets);

// A secret as base64 text (RFC 4648 §4, padded; the form BIND, NSD and Knot print), of at
// least kMinTsigSecretOctets. Whitespace is not allowed inside.
Result<std::vector<std::uint8_t>> tsig_secret_argument(std::string_view text);

}  // namespace apex::admin
