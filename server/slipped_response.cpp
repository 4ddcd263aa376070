// Truncating a response to its header and question.
#include "server/slipped_response.hpp"

namespace apex::server {
namespace {

constexpr std::size_t kHeader = 12;

// The end of the uncompressed question name starting at offset, or 0 when it is not one.
std::size_t question_name_end(std::span<const std::uint8_t> message, std::size_t offset) {
  while (offset < message.size()) {
    const std::uint8_t label = message[offset];
    if (label == 0) return offset + 1;
    if (label > 63) return 0;  // a pointer or an extended label: not how a question is written
    offset += 1u + label;
  }
  return 0;
}

}  // namespace

std::size_t slip_response(std::span<std::uint8_t> message, std::size_t length) {
  if (length < kHeader) return length;
  const std::span<const std::uint8_t> sent = message.first(length);
  std::size_t end = kHeader;
  const bool one_question = message[4] == 0 && message[5] == 1;
  if (one_question) {
    const std::size_t name_end = question_name_end(sent, kHeader);
    end = name_end != 0 && name_end + 4 <= length ? name_end + 4 : kHeader;
  }
  message[2] |= 0x02;  // TC
  message[4] = 0;
  message[5] = end > kHeader ? 1 : 0;                        // QDCOUNT
  for (std::size_t i = 6; i < kHeader; ++i) message[i] = 0;  // ANCOUNT, NSCOUNT, ARCOUNT
  return end;
}

}  // namespace apex::server
