// The query a stub sends a recursive resolver (RFC 1035 §4.1, RD=1, EDNS(0) per RFC 6891) and
// the RFC 5452 §9.1 test of whether a response answers it.
#pragma once

#include <cstdint>
#include <vector>

#include "zones/message_decoder.hpp"
#include "zones/name.hpp"
#include "zones/rrtype.hpp"

namespace apex::flatten {

// The payload we offer: large enough for address sets, small enough to avoid IP fragmentation
// (DNS Flag Day 2020); larger answers come with TC=1 and are fetched over TCP.
inline constexpr std::uint16_t kUpstreamUdpPayload = 1232;

struct UpstreamQuery {
  std::uint16_t id = 0;
  Name qname;
  RRType qtype = RRType::A;

  // Wire form: RD=1 (we ask a recursive resolver), one question in class IN, an OPT with
  // version 0 and DO=0 (we do not validate).
  std::vector<std::uint8_t> wire() const;

  // RFC 5452 §9.1: a response is ours only with our ID, QR=1, opcode QUERY and exactly our
  // question (the name compared case-insensitively). The transport checks address and port.
  bool is_answered_by(const DecodedMessage& response) const;
};

}  // namespace apex::flatten
