// The TSIG MAC computation (RFC 8945 §4.3): what is fed to the HMAC for a request, a
// response, and each later message of a multi-message response.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/tsig_key.hpp"
#include "zones/tsig_record.hpp"

namespace apex {

enum class TsigDigestScope {
  kAllVariables,  // §4.3.3: key name, class, TTL, algorithm, timers, error and other data
  kTimersOnly,    // §4.3.1, §5.3.1: Time Signed and Fudge, for later messages of a stream
};

// The full-length MAC over: prior_mac with its 2-octet length (the request MAC for a
// response, the previous message's MAC within a stream; nothing when empty), then message
// (the octets before the TSIG RR) with its ID replaced by fields.original_id and ARCOUNT by
// arcount (the count without the TSIG), then the TSIG variables of fields in canonical form
// (names lower-cased, RFC 4034 §6.2). Empty when the HMAC could not be computed.
std::vector<std::uint8_t> tsig_digest(const TsigKey& key, std::span<const std::uint8_t> prior_mac,
                                      std::span<const std::uint8_t> message, std::uint16_t arcount,
                                      const TsigRecord& fields, TsigDigestScope scope);

}  // namespace apex
