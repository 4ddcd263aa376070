// The TSIG resource record (RFC 8945 §4.2): finding it at the end of a message, its fields,
// and appending one to a message being sent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex {

// TSIG Error field values (RFC 8945 §3, IANA DNS RCODEs): carried in the TSIG RR, while the
// header's RCODE says NOTAUTH.
enum class TsigError : std::uint16_t {
  NoError = 0,
  BadSig = 16,
  BadKey = 17,
  BadTime = 18,
  BadTrunc = 22,
};

// RFC 8945 §10 recommends 300 seconds of allowed clock skew.
inline constexpr std::uint16_t kDefaultTsigFudge = 300;

// The owner and RDATA fields of a TSIG RR. CLASS is always ANY and TTL always 0 (§4.2).
struct TsigRecord {
  Name key_name;
  Name algorithm;                 // as received: compare it case-insensitively
  std::uint64_t time_signed = 0;  // seconds since 1970, 48 bits
  std::uint16_t fudge = kDefaultTsigFudge;
  std::vector<std::uint8_t> mac;
  std::uint16_t original_id = 0;
  std::uint16_t error = 0;  // a TsigError value, or an unknown one from a peer
  std::vector<std::uint8_t> other_data;
};

struct LocatedTsig {
  TsigRecord record;
  std::size_t offset = 0;  // first octet of the TSIG RR: the message it signs ends here
};

// Finds the TSIG RR of a message. nullopt when the message carries none; an error (FORMERR,
// RFC 8945 §5.2) when the message is malformed, a TSIG is not the very last record, there is
// more than one, its CLASS is not ANY, its TTL not 0, or its RDATA does not fill RDLENGTH
// exactly. Never throws and never reads outside message.
Result<std::optional<LocatedTsig>> locate_tsig(std::span<const std::uint8_t> message);

// Appends the TSIG RR (owner and algorithm name uncompressed) after the first length octets
// of buffer and counts it in ARCOUNT. Returns the new length, or 0 when it does not fit or
// the message has no header or already counts 65535 additional records.
std::size_t append_tsig_record(std::span<std::uint8_t> buffer, std::size_t length,
                               const TsigRecord& record);

}  // namespace apex
