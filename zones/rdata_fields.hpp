// The field kinds RDATA is built from (RFC 1035 §3.3 and the type RFCs): for each, its
// presentation syntax, wire extent and printing. rdata.cpp composes them per type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex {

enum class FieldKind : std::uint8_t {
  kU8,
  kU16,
  kU32,
  kTime,        // 32-bit seconds; text may use BIND units (SOA timers)
  kIPv4,        // 4 octets
  kIPv6,        // 16 octets
  kName,        // uncompressed domain name
  kString,      // one <character-string>
  kStrings,     // one or more <character-string>s to the end (TXT)
  kCaaTag,      // RFC 8659 §4.1: length-prefixed, letters and digits
  kCaaValue,    // RFC 8659 §4.1.1: the rest of the RDATA, one quoted or plain token
  kHex,         // one or more octets to the end, hex possibly split over fields
  kBase64,      // one or more octets to the end, base64 possibly split over fields
  kSvcParams,   // RFC 9460 SvcParams to the end
  kType,        // RFC 4034 §3.2: a type mnemonic, 2 octets (RRSIG Type Covered)
  kSigTime,     // RFC 4034 §3.2: YYYYMMDDHHmmSS or seconds, 4 octets
  kTypeBitmap,  // RFC 4034 §4.1.2: type mnemonics to the end, possibly none
  kSalt,        // RFC 5155 §3.3: length-prefixed, hex or "-"
  kHashedName,  // RFC 5155 §3.3: length-prefixed, base32hex
};

struct FieldSpec {
  FieldKind kind;
  std::string_view name;  // as in error messages: "preference", "exchange"
};

// Whether the field takes every remaining token / octet.
bool takes_rest(FieldKind kind);

// Octets of the kinds whose wire form has one size; 0 for names, strings and the rest-taking
// kinds, whose extent the octets themselves say.
constexpr std::size_t fixed_wire_size(FieldKind kind) {
  switch (kind) {
    case FieldKind::kU8:
      return 1;
    case FieldKind::kU16:
    case FieldKind::kType:
      return 2;
    case FieldKind::kU32:
    case FieldKind::kSigTime:
    case FieldKind::kTime:
    case FieldKind::kIPv4:
      return 4;
    case FieldKind::kIPv6:
      return 16;
    default:
      return 0;
  }
}

// Appends the wire form of the field parsed from tokens (one token, or all of them for the
// takes_rest kinds; never empty). Errors are the problem only, e.g. "'70000' is not a number
// from 0 to 65535"; the caller names the field.
Status field_from_text(FieldKind kind, std::span<const std::string> tokens, const Name& origin,
                       std::vector<std::uint8_t>& out);

// Octets the field occupies at the start of wire (all of it for takes_rest kinds), after
// checking them; an error if they are malformed or run past the end.
Result<std::size_t> field_wire_length(FieldKind kind, std::span<const std::uint8_t> wire);

// Presentation form of octets that field_wire_length accepted.
std::string field_to_text(FieldKind kind, std::span<const std::uint8_t> octets);

// Length of the uncompressed name at the start of wire (RFC 1035 §3.1), checked.
Result<std::size_t> wire_name_length(std::span<const std::uint8_t> wire);

}  // namespace apex
