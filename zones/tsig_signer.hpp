// Signing messages with TSIG (RFC 8945 §5.1, §5.3): requests, responses and every message
// of a multi-message response, plus the TSIG that error answers carry (§5.3.2).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/tsig_key.hpp"
#include "zones/tsig_record.hpp"
#include "zones/tsig_verifier.hpp"

namespace apex {

// Signs the messages of one response, in order. The first message's MAC covers the request
// MAC, the message and all TSIG variables (§5.3); each later message's covers the previous
// message's MAC, the message and only the timers (§5.3.1). Every message is to be signed.
// key must outlive the signer.
class TsigSigner {
 public:
  TsigSigner(const TsigKey& key, std::span<const std::uint8_t> request_mac,
             std::uint16_t fudge = kDefaultTsigFudge);

  // Appends the TSIG RR to the message in buffer[0, length) in place and counts it in
  // ARCOUNT; Original ID is the message's ID. Returns the new length, or 0 (buffer
  // untouched) when the TSIG does not fit or the MAC could not be computed.
  std::size_t sign(std::span<std::uint8_t> buffer, std::size_t length, std::uint64_t now,
                   std::uint16_t error = 0);

  // The MAC of the last message signed.
  std::span<const std::uint8_t> last_mac() const { return prior_mac_; }

 private:
  const TsigKey* key_;
  std::vector<std::uint8_t> prior_mac_;
  std::uint16_t fudge_;
  bool first_ = true;
};

struct SignedRequest {
  std::size_t length = 0;         // 0 when signing failed
  std::vector<std::uint8_t> mac;  // what the response is verified against
};

// Signs a request we send, such as a NOTIFY (RFC 8945 §5.1): MAC over the message and all
// TSIG variables.
SignedRequest sign_request(std::span<std::uint8_t> buffer, std::size_t length, const TsigKey& key,
                           std::uint64_t now, std::uint16_t fudge = kDefaultTsigFudge);

// BADKEY and BADSIG answers carry an unsigned TSIG (§5.3.2: MAC Size 0), echoing the
// request's key name, algorithm, Time Signed, Fudge and Original ID. Returns the new length,
// or 0 when it does not fit.
std::size_t append_unsigned_tsig(std::span<std::uint8_t> buffer, std::size_t length,
                                 const TsigRecord& request, TsigError error);

// A BADTIME answer is signed like a response (§5.2.3, §5.3.2) and carries the server's time
// in Other Data (6 octets), so the client can see the skew.
std::size_t append_bad_time_tsig(std::span<std::uint8_t> buffer, std::size_t length,
                                 const TsigKey& key, const TsigRecord& request, std::uint64_t now);

// The TSIG an answer to a request whose verdict is an error carries: unsigned for BADKEY
// and BADSIG, signed for BADTIME and BADTRUNC. FORMERR answers carry none: length comes back
// unchanged.
std::size_t append_error_tsig(std::span<std::uint8_t> buffer, std::size_t length,
                              const TsigVerdict& verdict, std::uint64_t now);

// The TSIG an answer to a request with this verdict carries: signed with the request's key
// when it verified (RFC 8945 §5.3), the error TSIG when it did not (append_error_tsig), none
// when the request was unsigned. Returns the new length, or 0 when it does not fit.
std::size_t sign_answer(std::span<std::uint8_t> buffer, std::size_t length,
                        const TsigVerdict& verdict, std::uint64_t now);

// Octets the TSIG of such an answer takes at most (RFC 8945 §4.2): owner, type, class, TTL,
// RDLENGTH, then algorithm name, Time Signed, Fudge, MAC Size, MAC, Original ID, Error,
// Other Len and the 6 octets of Other Data a BADTIME answer carries. 0 for unsigned requests.
std::size_t answer_tsig_room(const TsigVerdict& verdict);

}  // namespace apex
