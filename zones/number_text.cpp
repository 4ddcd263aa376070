// Numbers in presentation form: decimal fields (RFC 1035 §5.1) and BIND-style TTL units.
#include "zones/number_text.hpp"

#include <limits>

namespace apex {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Seconds per BIND TTL unit letter, or 0 for an unknown letter.
std::uint64_t unit_seconds(char c) {
  switch (c) {
    case 's':
    case 'S':
      return 1;
    case 'm':
    case 'M':
      return 60;
    case 'h':
    case 'H':
      return 3600;
    case 'd':
    case 'D':
      return 86400;
    case 'w':
    case 'W':
      return 604800;
    default:
      return 0;
  }
}

}  // namespace

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (digit > max || value > (max - digit) / 10) return std::nullopt;  // value*10+digit > max
    value = value * 10 + digit;
  }
  return value;
}

std::optional<std::uint32_t> parse_time_value(std::string_view text) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (text.empty() || !is_digit(text[0])) return std::nullopt;
  std::uint64_t total = 0;
  std::size_t i = 0;
  bool saw_unit = false;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    auto number = parse_decimal(text.substr(start, i - start), kMax);
    if (!number) return std::nullopt;
    if (i == text.size()) {
      // Digits without a unit are seconds only as the whole value ("3600"), not in "1h30".
      if (saw_unit) return std::nullopt;
      return static_cast<std::uint32_t>(*number);
    }
    std::uint64_t unit = unit_seconds(text[i++]);
    if (unit == 0) return std::nullopt;
    saw_unit = true;
    total += *number * unit;
    if (total > kMax) return std::nullopt;
    if (i < text.size() && !is_digit(text[i])) return std::nullopt;
  }
  return static_cast<std::uint32_t>(total);
}

}  // namespace apex
