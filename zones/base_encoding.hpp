// Base16 and base64 (RFC 4648 §8, §4) as used in presentation-form RDATA (DS, TLSA, SVCB ech).
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

}  // namespace apex
