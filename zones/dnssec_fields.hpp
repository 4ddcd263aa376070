// The RDATA field kinds only DNSSEC records use (RFC 4034 §3.2, §4.2, RFC 5155 §3.3, §4.3):
// type mnemonics, signature times, type bitmaps, NSEC3 salts and hashed owner names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zones/result.hpp"

namespace apex {

// RRSIG Type Covered: a mnemonic or TYPEnnn (RFC 4034 §3.2), two octets.
Status covered_type_from_text(const std::string& token, std::vector<std::uint8_t>& out);
std::string covered_type_to_text(std::span<const std::uint8_t> octets);

// RRSIG Signature Expiration and Inception (RFC 4034 §3.2): YYYYMMDDHHmmSS in UTC, or a
// decimal number of seconds since 1970 modulo 2^32.
std::optional<std::uint32_t> parse_signature_time(std::string_view text);
std::string signature_time_to_text(std::uint32_t seconds);
Status signature_time_from_text(const std::string& token, std::vector<std::uint8_t>& out);

// NSEC / NSEC3 Type Bit Maps: type mnemonics to the end of the RDATA, possibly none.
Status type_bitmap_from_text(std::span<const std::string> tokens, std::vector<std::uint8_t>& out);
std::string type_bitmap_to_text(std::span<const std::uint8_t> octets);
Status type_bitmap_check_wire(std::span<const std::uint8_t> octets);

// NSEC3 / NSEC3PARAM Salt (RFC 5155 §3.3): a length octet and the salt, "-" when empty.
Status salt_from_text(const std::string& token, std::vector<std::uint8_t>& out);
std::string salt_to_text(std::span<const std::uint8_t> octets);

// NSEC3 Next Hashed Owner Name (RFC 5155 §3.3): a length octet (at least 1) and the hash,
// written in unpadded base32hex.
Status hashed_name_from_text(const std::string& token, std::vector<std::uint8_t>& out);
std::string hashed_name_to_text(std::span<const std::uint8_t> octets);

// Octets a length-prefixed field takes at the start of wire; min_length bounds its value.
Result<std::size_t> prefixed_wire_length(std::span<const std::uint8_t> wire,
                                         std::size_t min_length);

}  // namespace apex
