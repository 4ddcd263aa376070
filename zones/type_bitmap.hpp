// The Type Bit Maps field of NSEC and NSEC3 (RFC 4034 §4.1.2, RFC 5155 §3.2.1).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/result.hpp"
#include "zones/rrtype.hpp"

namespace apex {

// Window blocks for the given types, in any order and with repeats: each window (the high
// octet of the type) that holds a type, in increasing order, as window number, bitmap
// length (trailing zero octets left out) and bitmap. No types give an empty field.
std::vector<std::uint8_t> encode_type_bitmap(std::span<const RRType> types);

// The types a Type Bit Maps field lists, in increasing order. Refuses what RFC 4034 §4.1.2
// forbids: windows out of order or repeated, a length of 0 or over 32, octets missing, a
// window ending in a zero octet.
Result<std::vector<RRType>> decode_type_bitmap(std::span<const std::uint8_t> field);

}  // namespace apex
