// Encodes a decided Answer as a wire-format response: header, question, sections with name
// compression, EDNS OPT, and truncation (RFC 1035 §4, RFC 2181 §9, RFC 6891 §7, RFC 9471).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "zones/answer.hpp"
#include "zones/compression_table.hpp"
#include "zones/message.hpp"

namespace apex {

// The UDP payload size apexdns offers and never exceeds (DNS Flag Day 2020).
inline constexpr std::uint16_t kDefaultMaxUdpPayload = 1232;

class ResponseEncoder {
 public:
  // Writes the response into out and returns its length. size_limit is the most the
  // transport may carry (the UDP payload size in force, or 65535 for TCP); whole RRsets
  // that don't fit are left out, and TC is set when required data was left out.
  std::size_t encode(const Query& query, const Answer& answer, std::uint16_t offered_payload,
                     std::span<std::uint8_t> out, std::size_t size_limit);

 private:
  CompressionTable table_;
};

}  // namespace apex
