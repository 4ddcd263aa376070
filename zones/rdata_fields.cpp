// The field kinds RDATA is built from (RFC 1035 §3.3 and the type RFCs): for each, its
// presentation syntax, wire extent and printing.
#include "zones/rdata_fields.hpp"

#include "zones/base_encoding.hpp"
#include "zones/character_string.hpp"
#include "zones/dnssec_fields.hpp"
#include "zones/ip_address_text.hpp"
#include "zones/number_text.hpp"
#include "zones/svcb_params.hpp"
#include "zones/text_excerpt.hpp"

namespace apex {
namespace {

using Octets = std::vector<std::uint8_t>;

std::string_view as_chars(std::span<const std::uint8_t> octets) {
  return {reinterpret_cast<const char*>(octets.data()), octets.size()};
}

std::uint64_t get_uint(std::span<const std::uint8_t> octets) {
  std::uint64_t v = 0;
  for (auto b : octets) v = (v << 8) | b;
  return v;
}

void put_uint(Octets& out, std::uint64_t v, std::size_t octets) {
  for (std::size_t i = octets; i-- > 0;) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

Status unsigned_from_text(const std::string& token, std::size_t octets, Octets& out) {
  std::uint64_t max = (std::uint64_t{1} << (8 * octets)) - 1;
  auto v = parse_decimal(token, max);
  if (!v) return Error{quoted_excerpt(token) + " is not a number from 0 to " + std::to_string(max)};
  put_uint(out, *v, octets);
  return Ok{};
}

Status time_from_text(const std::string& token, Octets& out) {
  auto v = parse_time_value(token);
  if (!v)
    return Error{quoted_excerpt(token) + " is not a number of seconds or a time such as 1h30m"};
  put_uint(out, *v, 4);
  return Ok{};
}

template <class Parse>
Status address_from_text(const std::string& token, Parse parse, std::string_view family,
                         Octets& out) {
  auto address = parse(token);
  if (!address)
    return Error{quoted_excerpt(token) + " is not an " + std::string(family) + " address"};
  out.insert(out.end(), address->begin(), address->end());
  return Ok{};
}

Status name_from_text(const std::string& token, const Name& origin, Octets& out) {
  auto name = Name::from_text(token, origin);
  if (!name) return Error{name.error()};
  out.insert(out.end(), name->wire().begin(), name->wire().end());
  return Ok{};
}

Status strings_from_text(std::span<const std::string> tokens, Octets& out) {
  for (const auto& token : tokens) {
    auto octets = parse_character_string(token);
    if (!octets) return Error{quoted_excerpt(token) + " " + octets.error()};
    out.push_back(static_cast<std::uint8_t>(octets->size()));
    out.insert(out.end(), octets->begin(), octets->end());
  }
  return Ok{};
}

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// RFC 8659 §4.1: the tag is at least one octet of US-ASCII letters and digits.
Status check_caa_tag(std::string_view tag) {
  if (tag.empty()) return Error{"empty"};
  for (char c : tag)
    if (!is_alnum(c))
      return Error{quoted_excerpt(tag) + " has characters other than letters and digits"};
  return Ok{};
}

Status caa_tag_from_text(const std::string& token, Octets& out) {
  auto tag = parse_character_string(token);
  if (!tag) return Error{quoted_excerpt(token) + " " + tag.error()};
  if (auto ok = check_caa_tag(*tag); !ok) return ok;
  out.push_back(static_cast<std::uint8_t>(tag->size()));
  out.insert(out.end(), tag->begin(), tag->end());
  return Ok{};
}

Status caa_value_from_text(const std::string& token, Octets& out) {
  auto value = parse_character_string(token, 65535);
  if (!value) return Error{quoted_excerpt(token) + " " + value.error()};
  out.insert(out.end(), value->begin(), value->end());
  return Ok{};
}

// Hex and base64 may be split over several fields (RFC 4034 §5.3, RFC 6698 §2.2).
template <class Decode>
Status encoded_from_text(std::span<const std::string> tokens, Decode decode,
                         std::string_view encoding, Octets& out) {
  std::string joined;
  for (const auto& token : tokens) joined += token;
  auto octets = decode(joined);
  if (!octets) return Error{quoted_excerpt(joined) + " is not " + std::string(encoding)};
  if (octets->empty()) return Error{"empty"};
  out.insert(out.end(), octets->begin(), octets->end());
  return Ok{};
}

Status svc_params_field_from_text(std::span<const std::string> tokens, Octets& out) {
  auto params = svc_params_from_text(tokens);
  if (!params) return Error{params.error()};
  out.insert(out.end(), params->begin(), params->end());
  return Ok{};
}

Result<std::size_t> strings_wire_length(std::span<const std::uint8_t> wire) {
  if (wire.empty()) return Error{"no character-string"};
  for (std::size_t pos = 0; pos < wire.size(); pos += 1 + wire[pos])
    if (pos + 1 + wire[pos] > wire.size()) return Error{"character-string runs past the end"};
  return wire.size();
}

Result<std::size_t> caa_tag_wire_length(std::span<const std::uint8_t> wire) {
  if (wire.empty() || std::size_t{1} + wire[0] > wire.size()) return Error{"runs past the end"};
  if (auto ok = check_caa_tag(as_chars(wire.subspan(1, wire[0]))); !ok) return Error{ok.error()};
  return 1 + wire[0];
}

Result<std::size_t> rest_wire_length(FieldKind kind, std::span<const std::uint8_t> wire) {
  if (kind == FieldKind::kCaaValue) return wire.size();
  if (kind == FieldKind::kStrings) return strings_wire_length(wire);
  if (kind == FieldKind::kSvcParams) {
    if (auto ok = svc_params_check_wire(wire); !ok) return Error{ok.error()};
    return wire.size();
  }
  if (kind == FieldKind::kTypeBitmap) {
    if (auto ok = type_bitmap_check_wire(wire); !ok) return Error{ok.error()};
    return wire.size();
  }
  if (wire.empty()) return Error{"missing"};  // kHex, kBase64
  return wire.size();
}

std::string strings_to_text(std::span<const std::uint8_t> wire) {
  std::string out;
  for (std::size_t pos = 0; pos < wire.size(); pos += 1 + wire[pos]) {
    if (!out.empty()) out.push_back(' ');
    out += character_string_to_text(as_chars(wire.subspan(pos + 1, wire[pos])));
  }
  return out;
}

std::string name_to_text(std::span<const std::uint8_t> wire) {
  auto name = Name::from_wire(wire);
  return name ? name->to_text() : std::string();
}

}  // namespace

bool takes_rest(FieldKind kind) {
  switch (kind) {
    case FieldKind::kStrings:
    case FieldKind::kHex:
    case FieldKind::kBase64:
    case FieldKind::kSvcParams:
    case FieldKind::kTypeBitmap:
      return true;
    default:
      return false;
  }
}

Status field_from_text(FieldKind kind, std::span<const std::string> tokens, const Name& origin,
                       Octets& out) {
  const std::string& token = tokens.front();
  switch (kind) {
    case FieldKind::kU8:
      return unsigned_from_text(token, 1, out);
    case FieldKind::kU16:
      return unsigned_from_text(token, 2, out);
    case FieldKind::kU32:
      return unsigned_from_text(token, 4, out);
    case FieldKind::kTime:
      return time_from_text(token, out);
    case FieldKind::kIPv4:
      return address_from_text(token, ipv4_from_text, "IPv4", out);
    case FieldKind::kIPv6:
      return address_from_text(token, ipv6_from_text, "IPv6", out);
    case FieldKind::kName:
      return name_from_text(token, origin, out);
    case FieldKind::kString:
    case FieldKind::kStrings:
      return strings_from_text(tokens, out);
    case FieldKind::kCaaTag:
      return caa_tag_from_text(token, out);
    case FieldKind::kCaaValue:
      return caa_value_from_text(token, out);
    case FieldKind::kHex:
      return encoded_from_text(tokens, hex_decode, "hexadecimal", out);
    case FieldKind::kBase64:
      return encoded_from_text(tokens, base64_decode, "base64", out);
    case FieldKind::kSvcParams:
      return svc_params_field_from_text(tokens, out);
    case FieldKind::kType:
      return covered_type_from_text(token, out);
    case FieldKind::kSigTime:
      return signature_time_from_text(token, out);
    case FieldKind::kTypeBitmap:
      return type_bitmap_from_text(tokens, out);
    case FieldKind::kSalt:
      return salt_from_text(token, out);
    case FieldKind::kHashedName:
      return hashed_name_from_text(token, out);
  }
  return Error{"unsupported field"};
}

Result<std::size_t> field_wire_length(FieldKind kind, std::span<const std::uint8_t> wire) {
  if (std::size_t size = fixed_wire_size(kind); size != 0) {
    if (wire.size() < size) return Error{"RDATA ends early"};
    return size;
  }
  switch (kind) {
    case FieldKind::kName:
      return wire_name_length(wire);
    case FieldKind::kString:
      if (wire.empty() || std::size_t{1} + wire[0] > wire.size())
        return Error{"character-string runs past the end"};
      return 1 + wire[0];
    case FieldKind::kCaaTag:
      return caa_tag_wire_length(wire);
    case FieldKind::kSalt:
      return prefixed_wire_length(wire, 0);
    case FieldKind::kHashedName:
      return prefixed_wire_length(wire, 1);
    default:
      return rest_wire_length(kind, wire);
  }
}

std::string field_to_text(FieldKind kind, std::span<const std::uint8_t> octets) {
  switch (kind) {
    case FieldKind::kU8:
    case FieldKind::kU16:
    case FieldKind::kU32:
    case FieldKind::kTime:
      return std::to_string(get_uint(octets));
    case FieldKind::kIPv4:
      return ipv4_to_text(octets);
    case FieldKind::kIPv6:
      return ipv6_to_text(octets);
    case FieldKind::kName:
      return name_to_text(octets);
    case FieldKind::kString:
    case FieldKind::kStrings:
      return strings_to_text(octets);
    case FieldKind::kCaaTag:
      return std::string(as_chars(octets.subspan(1)));
    case FieldKind::kCaaValue:
      return character_string_to_text(as_chars(octets));
    case FieldKind::kHex:
      return hex_encode(octets);
    case FieldKind::kBase64:
      return base64_encode(octets);
    case FieldKind::kSvcParams:
      return svc_params_to_text(octets);
    case FieldKind::kType:
      return covered_type_to_text(octets);
    case FieldKind::kSigTime:
      return signature_time_to_text(static_cast<std::uint32_t>(get_uint(octets)));
    case FieldKind::kTypeBitmap:
      return type_bitmap_to_text(octets);
    case FieldKind::kSalt:
      return salt_to_text(octets);
    case FieldKind::kHashedName:
      return hashed_name_to_text(octets);
  }
  return {};
}

Result<std::size_t> wire_name_length(std::span<const std::uint8_t> wire) {
  std::size_t pos = 0;
  for (;;) {
    if (pos >= wire.size()) return Error{"name runs past the end of the RDATA"};
    std::uint8_t len = wire[pos];
    if (len == 0) break;
    // Names inside stored RDATA are never compressed (RFC 3597 §4).
    if (len >= 0xc0) return Error{"compressed name"};
    if (len > kMaxLabelLength) return Error{"label longer than 63 octets"};
    pos += 1 + len;
    if (pos >= kMaxNameLength) return Error{"name longer than 255 octets"};
  }
  return pos + 1;
}

}  // namespace apex
