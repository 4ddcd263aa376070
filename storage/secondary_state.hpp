// What apexd saw of each secondary per zone: NOTIFY sent and acknowledged (RFC 1996 §3.7,
// §4.7) and zone transfers served (RFC 5936, RFC 1995), kept for `apexctl zone status`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "zones/name.hpp"

namespace apex::storage {

// One thing that happened between apexd and a secondary; recorded in batches.
struct SecondaryEvent {
  enum class Kind { kNotifySent, kNotifyAcknowledged, kTransferred };
  Kind kind = Kind::kNotifySent;
  std::string address;  // as stored for secondaries: IPv4 dotted quad or RFC 5952 IPv6
  // The secondary's port for NOTIFY. Unused for transfers: a secondary transfers from an
  // ephemeral port, so a transfer counts for every secondary at its source address.
  std::uint16_t port = 0;
  Name zone;
  std::int64_t at_ms = 0;    // milliseconds since the Unix epoch
  std::uint32_t serial = 0;  // announced (NOTIFY) or transferred; unused for acknowledgements
};

SecondaryEvent notify_sent(std::string address, std::uint16_t port, Name zone, std::uint32_t serial,
                           std::int64_t at_ms);
SecondaryEvent notify_acknowledged(std::string address, std::uint16_t port, Name zone,
                                   std::int64_t at_ms);
SecondaryEvent transferred(std::string address, Name zone, std::uint32_t serial,
                           std::int64_t at_ms);

// A secondary_state row of one zone, with its secondary's address and port. Times are
// milliseconds since the Unix epoch, 0 for never; serials are absent until known.
struct SecondaryState {
  std::string address;
  std::uint16_t port = 0;
  std::int64_t notify_sent_ms = 0;
  std::optional<std::uint32_t> notify_serial;
  std::int64_t notify_acked_ms = 0;
  std::int64_t transfer_ms = 0;
  std::optional<std::uint32_t> transfer_serial;
};

}  // namespace apex::storage
