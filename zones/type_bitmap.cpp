// The Type Bit Maps field of NSEC and NSEC3 (RFC 4034 §4.1.2, RFC 5155 §3.2.1).
#include "zones/type_bitmap.hpp"

#include <algorithm>
#include <array>

namespace apex {

std::vector<std::uint8_t> encode_type_bitmap(std::span<const RRType> types) {
  std::vector<std::uint16_t> codes;
  codes.reserve(types.size());
  for (RRType t : types) codes.push_back(static_cast<std::uint16_t>(t));
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());

  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < codes.size();) {
    const std::uint8_t window = static_cast<std::uint8_t>(codes[i] >> 8);
    std::array<std::uint8_t, 32> bitmap{};
    std::size_t length = 0;
    for (; i < codes.size() && (codes[i] >> 8) == window; ++i) {
      const std::size_t bit = codes[i] & 0xff;
      // Bit 0 of octet 0 is the most significant: type window*256 + 0 (RFC 4034 §4.1.2).
      bitmap[bit / 8] |= static_cast<std::uint8_t>(0x80 >> (bit % 8));
      length = bit / 8 + 1;
    }
    out.push_back(window);
    out.push_back(static_cast<std::uint8_t>(length));
    out.insert(out.end(), bitmap.begin(), bitmap.begin() + static_cast<std::ptrdiff_t>(length));
  }
  return out;
}

Result<std::vector<RRType>> decode_type_bitmap(std::span<const std::uint8_t> field) {
  std::vector<RRType> types;
  int previous_window = -1;
  for (std::size_t pos = 0; pos < field.size();) {
    if (field.size() - pos < 2) return Error{"type bitmap window ends early"};
    const std::uint8_t window = field[pos];
    const std::size_t length = field[pos + 1];
    if (window <= previous_window) return Error{"type bitmap windows out of order"};
    if (length == 0 || length > 32) return Error{"type bitmap window length not 1 to 32"};
    if (field.size() - pos - 2 < length) return Error{"type bitmap runs past the end"};
    // Trailing zero octets MUST be left out, so an empty window can't appear either: each
    // set of types has exactly one encoding (RFC 4034 §4.1.2).
    if (field[pos + 1 + length] == 0) return Error{"type bitmap window ends in a zero octet"};
    for (std::size_t octet = 0; octet < length; ++octet)
      for (std::size_t bit = 0; bit < 8; ++bit)
        if (field[pos + 2 + octet] & (0x80 >> bit))
          types.push_back(static_cast<RRType>(window * 256 + octet * 8 + bit));
    previous_window = window;
    pos += 2 + length;
  }
  return types;
}

}  // namespace apex
