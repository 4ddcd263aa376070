// The SOA serial (RFC 1035 §3.3.13) and serial number arithmetic (RFC 1982).
#include "zones/soa_serial.hpp"

#include <cstddef>

namespace apex {
namespace {

// Offset of SERIAL: after two uncompressed names, each a run of labels ending in a zero octet.
Result<std::size_t> serial_offset(std::span<const std::uint8_t> rdata) {
  std::size_t pos = 0;
  for (int names = 0; names < 2; ++names) {
    for (;;) {
      if (pos >= rdata.size()) return Error{"SOA RDATA: truncated name"};
      const std::uint8_t len = rdata[pos];
      if (len > 63) return Error{"SOA RDATA: bad label length"};
      pos += len + 1u;
      if (len == 0) break;
    }
  }
  if (pos + 20 != rdata.size()) return Error{"SOA RDATA: expected five 32-bit fields"};
  return pos;
}

}  // namespace

Result<std::uint32_t> soa_serial(std::span<const std::uint8_t> rdata) {
  auto at = serial_offset(rdata);
  if (!at) return Error{at.error()};
  std::uint32_t serial = 0;
  for (std::size_t i = 0; i < 4; ++i) serial = (serial << 8) | rdata[*at + i];
  return serial;
}

Result<std::vector<std::uint8_t>> with_soa_serial(std::span<const std::uint8_t> rdata,
                                                  std::uint32_t serial) {
  auto at = serial_offset(rdata);
  if (!at) return Error{at.error()};
  std::vector<std::uint8_t> out(rdata.begin(), rdata.end());
  for (std::size_t i = 0; i < 4; ++i) {
    out[*at + i] = static_cast<std::uint8_t>(serial >> (24 - 8 * i));
  }
  return out;
}

bool serial_greater(std::uint32_t a, std::uint32_t b) {
  constexpr std::uint32_t kHalf = 0x80000000u;
  return (a < b && b - a > kHalf) || (a > b && a - b < kHalf);
}

std::uint32_t next_serial(std::uint32_t current, std::uint32_t proposed) {
  return serial_greater(proposed, current) ? proposed : current + 1;
}

}  // namespace apex
