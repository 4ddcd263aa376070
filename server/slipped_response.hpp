// A slipped response (response rate limiting): the header and question of the answer that
// would have gone out, with TC=1 and no records, so a real client retries over TCP
// (RFC 1035 §4.1.1, RFC 7766 §6.2.2) while a spoofed victim receives no more than it sent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace apex::server {

// Rewrites the response of length octets in message in place; returns its new length.
std::size_t slip_response(std::span<std::uint8_t> message, std::size_t length);

}  // namespace apex::server
