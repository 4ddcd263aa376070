// The RDATA field kinds only DNSSEC records use (RFC 4034 §3.2, §4.2, RFC 5155 §3.3, §4.3).
#include "zones/dnssec_fields.hpp"

#include <chrono>
#include <cstdio>

#include "zones/base_encoding.hpp"
#include "zones/number_text.hpp"
#include "zones/rrtype.hpp"
#include "zones/text_excerpt.hpp"
#include "zones/type_bitmap.hpp"

namespace apex {
namespace {

using Octets = std::vector<std::uint8_t>;

void put_u16(Octets& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

std::optional<unsigned> digits(std::string_view text, std::size_t at, std::size_t count) {
  unsigned v = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return v;
}

// YYYYMMDDHHmmSS, checked as a real calendar date and time of day.
std::optional<std::uint32_t> parse_calendar_time(std::string_view text) {
  auto year = digits(text, 0, 4), month = digits(text, 4, 2), day = digits(text, 6, 2);
  auto hour = digits(text, 8, 2), minute = digits(text, 10, 2), second = digits(text, 12, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year(static_cast<int>(*year)),
                                   std::chrono::month(*month), std::chrono::day(*day)};
  if (!date.ok() || *year < 1970) return std::nullopt;
  std::int64_t seconds =
      std::int64_t{std::chrono::sys_days(date).time_since_epoch().count()} * 86400 + *hour * 3600 +
      *minute * 60 + *second;
  // The field is the time modulo 2^32, compared with serial arithmetic (RFC 4034 §3.1.5).
  return static_cast<std::uint32_t>(seconds);
}

}  // namespace

Status covered_type_from_text(const std::string& token, Octets& out) {
  auto type = rrtype_from_text(token);
  if (!type) return Error{quoted_excerpt(token) + " is not a type"};
  put_u16(out, static_cast<std::uint16_t>(*type));
  return Ok{};
}

std::string covered_type_to_text(std::span<const std::uint8_t> octets) {
  return rrtype_to_text(static_cast<RRType>((octets[0] << 8) | octets[1]));
}

std::optional<std::uint32_t> parse_signature_time(std::string_view text) {
  // RFC 4034 §3.2: exactly 14 digits is a calendar time, anything shorter a number.
  if (text.size() == 14) return parse_calendar_time(text);
  auto v = parse_decimal(text, 0xffffffffu);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

std::string signature_time_to_text(std::uint32_t seconds) {
  auto days = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds(std::chrono::seconds(seconds)));
  std::chrono::year_month_day date(days);
  std::chrono::hh_mm_ss time(std::chrono::sys_seconds(std::chrono::seconds(seconds)) - days);
  char text[40];
  std::snprintf(text, sizeof text, "%04d%02u%02u%02d%02d%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return text;
}

Status signature_time_from_text(const std::string& token, Octets& out) {
  auto v = parse_signature_time(token);
  if (!v) return Error{quoted_excerpt(token) + " is not a time such as 20260101000000"};
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(*v >> shift));
  return Ok{};
}

Status type_bitmap_from_text(std::span<const std::string> tokens, Octets& out) {
  std::vector<RRType> types;
  for (const auto& token : tokens) {
    auto type = rrtype_from_text(token);
    if (!type) return Error{quoted_excerpt(token) + " is not a type"};
    types.push_back(*type);
  }
  auto bitmap = encode_type_bitmap(types);
  out.insert(out.end(), bitmap.begin(), bitmap.end());
  return Ok{};
}

std::string type_bitmap_to_text(std::span<const std::uint8_t> octets) {
  auto types = decode_type_bitmap(octets);
  std::string out;
  if (!types) return out;
  for (RRType t : *types) {
    if (!out.empty()) out.push_back(' ');
    out += rrtype_to_text(t);
  }
  return out;
}

Status type_bitmap_check_wire(std::span<const std::uint8_t> octets) {
  auto types = decode_type_bitmap(octets);
  if (!types) return Error{types.error()};
  return Ok{};
}

Status salt_from_text(const std::string& token, Octets& out) {
  if (token == "-") {
    out.push_back(0);
    return Ok{};
  }
  auto salt = hex_decode(token);
  if (!salt || salt->empty() || salt->size() > 255)
    return Error{quoted_excerpt(token) + " is not \"-\" or 1 to 255 octets of hexadecimal"};
  out.push_back(static_cast<std::uint8_t>(salt->size()));
  out.insert(out.end(), salt->begin(), salt->end());
  return Ok{};
}

std::string salt_to_text(std::span<const std::uint8_t> octets) {
  if (octets.size() <= 1) return "-";
  return hex_encode(octets.subspan(1));
}

Status hashed_name_from_text(const std::string& token, Octets& out) {
  auto hash = base32hex_decode(token);
  if (!hash || hash->empty() || hash->size() > 255)
    return Error{quoted_excerpt(token) + " is not 1 to 255 octets of base32hex"};
  out.push_back(static_cast<std::uint8_t>(hash->size()));
  out.insert(out.end(), hash->begin(), hash->end());
  return Ok{};
}

std::string hashed_name_to_text(std::span<const std::uint8_t> octets) {
  return base32hex_encode(octets.subspan(1));
}

Result<std::size_t> prefixed_wire_length(std::span<const std::uint8_t> wire,
                                         std::size_t min_length) {
  if (wire.empty() || std::size_t{1} + wire[0] > wire.size()) return Error{"runs past the end"};
  if (wire[0] < min_length) return Error{"empty"};
  return std::size_t{1} + wire[0];
}

}  // namespace apex
