// Base16, base64 and base32hex (RFC 4648 §8, §4, §7) as used in presentation-form RDATA (DS,
// TLSA, SVCB ech, NSEC3).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace apex {

// Hex digits in either case, an even number of them; nullopt otherwise.
std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view text);
// Upper-case hex digits, two per octet.
std::string hex_encode(std::span<const std::uint8_t> data);

// Padded base64 (RFC 4648 §4); nullopt for bad characters, length or padding.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);
std::string base64_encode(std::span<const std::uint8_t> data);

// Base32 with the extended hex alphabet, without padding (RFC 4648 §7, RFC 5155 §3.3): the
// NSEC3 hashed owner labels. Decoding takes either case and refuses bits left over that are
// not zero; encoding writes lower case, as RFC 5155's examples do.
std::optional<std::vector<std::uint8_t>> base32hex_decode(std::string_view text);
std::string base32hex_encode(std::span<const std::uint8_t> data);

}  // namespace apex
