// Checks over wire data shared by the message readers (see wire_reader.hpp).
#include "zones/wire_reader.hpp"

namespace apex {

bool options_well_formed(std::span<const std::uint8_t> rdata) {
  std::size_t pos = 0;
  while (pos < rdata.size()) {
    if (rdata.size() - pos < 4) return false;
    const std::size_t len = static_cast<std::size_t>(rdata[pos + 2]) << 8 | rdata[pos + 3];
    pos += 4;
    if (rdata.size() - pos < len) return false;
    pos += len;
  }
  return true;
}

bool has_option(std::span<const std::uint8_t> rdata, std::uint16_t code) {
  for (std::size_t pos = 0; pos + 4 <= rdata.size();) {
    if ((static_cast<std::uint16_t>(rdata[pos] << 8 | rdata[pos + 1])) == code) return true;
    pos += 4 + (static_cast<std::size_t>(rdata[pos + 2]) << 8 | rdata[pos + 3]);
  }
  return false;
}

}  // namespace apex
