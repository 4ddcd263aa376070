// Decodes untrusted DNS messages of any kind (RFC 1035 §4.1) into values: header, questions,
// records with names decompressed (§4.1.4, RFC 3597 §4), and the EDNS(0) OPT (RFC 6891 §6.1).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "zones/message.hpp"
#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"

namespace apex {

struct DecodedQuestion {
  Name qname;
  RRType qtype = RRType::A;
  RRClass qclass = RRClass::IN;
};

// The OPT pseudo-record's fields (RFC 6891 §6.1.2–6.1.3).
struct DecodedOpt {
  std::uint16_t udp_payload = 0;    // the CLASS field, as sent
  std::uint8_t extended_rcode = 0;  // upper 8 bits of the 12-bit RCODE
  std::uint8_t version = 0;
  bool dnssec_ok = false;
  std::vector<std::uint8_t> options;  // RDATA as received, checked to be {code, length, data}*
};

struct DecodedMessage {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;
  std::vector<DecodedQuestion> questions;
  // Records with owner names decompressed; the RDATA of types whose RDATA may hold compressed
  // names is rewritten in uncompressed (canonical) wire form. The OPT is never in additional.
  std::vector<Record> answer, authority, additional;
  std::optional<DecodedOpt> opt;

  bool is_response() const { return (flags & kFlagQR) != 0; }
  bool truncated() const { return (flags & kFlagTC) != 0; }
  std::uint8_t opcode() const { return (flags & kOpcodeMask) >> kOpcodeShift; }
  // The 12-bit RCODE: the header's 4 bits extended by the OPT's 8 (RFC 6891 §6.1.3).
  Rcode rcode() const;
};

// Decodes a whole message. Every malformation (truncation, a compression pointer that does
// not point backwards, a name over 255 octets, RDATA that overruns its RDLENGTH or does not
// fill it, a misplaced or repeated OPT, octets after the last record) is an error naming the
// offset; never throws, never reads outside packet.
Result<DecodedMessage> decode_message(std::span<const std::uint8_t> packet);

// Decodes only the header and the question section, leaving the record sections empty: enough
// to match a response to its query (RFC 5452 §9.1) even when later sections are cut short, as
// a TC=1 response may be (RFC 2181 §9).
Result<DecodedMessage> decode_header_and_question(std::span<const std::uint8_t> packet);

}  // namespace apex
