// The SOA serial (RFC 1035 §3.3.13) and serial number arithmetic (RFC 1982).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/result.hpp"

namespace apex {

// The SERIAL field of wire SOA RDATA (after MNAME and RNAME, uncompressed).
Result<std::uint32_t> soa_serial(std::span<const std::uint8_t> rdata);
// A copy of wire SOA RDATA with SERIAL replaced.
Result<std::vector<std::uint8_t>> with_soa_serial(std::span<const std::uint8_t> rdata,
                                                  std::uint32_t serial);

// RFC 1982 §3.2: a is greater than b in serial number arithmetic (undefined pairs, exactly
// 2^31 apart, count as not greater).
bool serial_greater(std::uint32_t a, std::uint32_t b);

// The serial a change must carry so that secondaries see it: proposed when it is greater than
// the current serial, else current + 1 (RFC 1982 §3.1 addition, wrapping). Never backwards.
std::uint32_t next_serial(std::uint32_t current, std::uint32_t proposed);

}  // namespace apex
