// Verifying TSIG-signed messages (RFC 8945 §5.2 for requests, §5.4 for responses and
// multi-message responses): every outcome is a value, for any input octets.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "zones/message.hpp"
#include "zones/tsig_key.hpp"
#include "zones/tsig_record.hpp"

namespace apex {

enum class TsigStatus {
  kUnsigned,   // no TSIG: the caller's access rules decide
  kValid,      // signed by key, MAC and time checked
  kError,      // answer with rcode (FORMERR, or NOTAUTH carrying error in the TSIG)
  kPeerError,  // a response whose TSIG reports an error of the peer's (error), unverified
};

struct TsigVerdict {
  TsigStatus status = TsigStatus::kUnsigned;
  Rcode rcode = Rcode::NoError;
  TsigError error = TsigError::NoError;
  // The key that signed the message: set when valid, and for BADTIME and BADTRUNC, whose
  // answers are signed with it (RFC 8945 §5.3.2). Points into the keyring (or at the key)
  // the message was verified with, which must outlive the verdict.
  const TsigKey* key = nullptr;
  // The TSIG as received, whenever it parsed: its MAC is the request MAC that signs the
  // response, its fields are echoed by error answers.
  std::optional<TsigRecord> tsig;
  // Where the TSIG RR starts: the octets before it are the message it signs.
  std::size_t tsig_offset = 0;

  bool valid() const { return status == TsigStatus::kValid; }
};

struct TsigPolicy {
  // RFC 8945 §5.2.4: whether a MAC truncated to no less than the §5.2.2.1 floor (the larger
  // of 10 octets and half the hash length) is accepted; when not, such a request is answered
  // BADTRUNC. Peers sign with the full length unless configured otherwise.
  bool accept_truncated_macs = false;
};

// RFC 8945 §5.2, in its order: the TSIG's placement and form (FORMERR), key name and
// algorithm (BADKEY), MAC size (FORMERR, §5.2.2.1), MAC (BADSIG), Time Signed within Fudge of
// now (BADTIME), MAC truncation against policy (BADTRUNC). now is seconds since 1970.
TsigVerdict verify_request(std::span<const std::uint8_t> message, const TsigKeyring& keyring,
                           std::uint64_t now, TsigPolicy policy = {});

// Verifies the messages of a response to a request signed with key whose MAC was
// request_mac (RFC 8945 §5.4): the first message covers the request MAC, each later one the
// previous message's MAC and only the timers (§5.3.1). Every message must be signed: the
// option of leaving up to 99 messages unsigned is neither used nor accepted. key must
// outlive the verifier.
class TsigResponseVerifier {
 public:
  TsigResponseVerifier(const TsigKey& key, std::span<const std::uint8_t> request_mac,
                       TsigPolicy policy = {});

  // The next message's verdict. After an error the stream cannot be trusted further; the
  // caller abandons it.
  TsigVerdict verify(std::span<const std::uint8_t> message, std::uint64_t now);

 private:
  const TsigKey* key_;
  std::vector<std::uint8_t> prior_mac_;
  TsigPolicy policy_;
  bool first_ = true;
};

// A single response (such as a NOTIFY acknowledgement, RFC 1996 §4.7) to a request signed
// with key whose MAC was request_mac.
TsigVerdict verify_response(std::span<const std::uint8_t> message, const TsigKey& key,
                            std::span<const std::uint8_t> request_mac, std::uint64_t now,
                            TsigPolicy policy = {});

}  // namespace apex
