// NOTIFY (RFC 1996): the message a primary sends its secondaries when a zone changed, and
// recognising their acknowledgement. Sans I/O: the server's notifier moves the octets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "zones/name.hpp"
#include "zones/zone.hpp"

namespace apex {

inline constexpr std::uint8_t kOpcodeNotify = 4;

// RFC 1996 §3.7: opcode NOTIFY, AA set, the zone's SOA as the question (class IN) and its
// current SOA in the answer section, so a secondary may skip its own SOA query. Returns the
// length, or 0 when out is too small.
std::size_t write_notify(std::span<std::uint8_t> out, std::uint16_t id, const Zone& zone);

enum class NotifyReply {
  kNotAReply,     // not the answer to that NOTIFY: ignore it (RFC 5452-style matching)
  kAcknowledged,  // RFC 1996 §4.7: QR=1, opcode NOTIFY, same ID and question, NOERROR
  kRefused,       // answered with an error rcode: the secondary will not take it
};

// Classifies a datagram received for the NOTIFY with this id for zone apex.
NotifyReply classify_notify_reply(std::span<const std::uint8_t> packet, std::uint16_t id,
                                  const Name& apex);

}  // namespace apex
