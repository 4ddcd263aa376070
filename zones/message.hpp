// DNS message header fields, response codes and the parsed form of a query (RFC 1035 §4.1,
// RFC 6891 §6 for EDNS(0)).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "zones/rrtype.hpp"

namespace apex {

inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::uint16_t kFlagQR = 0x8000;
inline constexpr std::uint16_t kFlagAA = 0x0400;
inline constexpr std::uint16_t kFlagTC = 0x0200;
inline constexpr std::uint16_t kFlagRD = 0x0100;
inline constexpr std::uint16_t kFlagCD = 0x0010;
inline constexpr unsigned kOpcodeShift = 11;
inline constexpr std::uint16_t kOpcodeMask = 0x7800;
inline constexpr std::uint8_t kOpcodeQuery = 0;

// RCODE values, extended ones included (RFC 6891 §6.1.3, IANA DNS RCODEs).
enum class Rcode : std::uint16_t {
  NoError = 0,
  FormErr = 1,
  ServFail = 2,
  NXDomain = 3,
  NotImp = 4,
  Refused = 5,
  NotAuth = 9,
  BadVers = 16,
};

// Classic DNS over UDP without EDNS (RFC 1035 §4.2.1) and the floor for EDNS payloads
// (RFC 6891 §6.2.5).
inline constexpr std::uint16_t kClassicUdpSize = 512;

// EDNS option code of the Name Server Identifier (RFC 5001 §2.3).
inline constexpr std::uint16_t kNsidOption = 3;

struct Edns {
  bool present = false;
  std::uint8_t version = 0;
  std::uint16_t udp_payload = kClassicUdpSize;
  bool dnssec_ok = false;
  bool nsid = false;  // the NSID option was asked for (RFC 5001 §2.1)
};

// The question as received: the original octets (for echoing case) and a lower-cased copy
// (for lookups), with the offset of each label so suffixes can be probed without copying.
struct Question {
  std::array<std::uint8_t, 255> wire{};
  std::array<std::uint8_t, 255> lower{};
  std::array<std::uint8_t, 128> label_offsets{};
  std::uint8_t length = 0;  // wire octets including the root label
  std::uint8_t labels = 0;  // not counting the root
  RRType qtype = RRType::A;
  RRClass qclass = RRClass::IN;

  std::string_view name() const { return {reinterpret_cast<const char*>(wire.data()), length}; }
  std::string_view lower_name() const {
    return {reinterpret_cast<const char*>(lower.data()), length};
  }
  // The lower-cased suffix that starts at label i (0 = whole name, labels = root).
  std::string_view lower_suffix(std::size_t i) const {
    std::size_t off = i < labels ? label_offsets[i] : length - 1u;
    return lower_name().substr(off);
  }
};

// A TSIG record closes the query (RFC 8945 §4.2): the Responder verifies it against the keys
// it is given (tsig_verifier.hpp) and signs the answer, or answers NOTAUTH with the error.
struct Tsig {
  bool present = false;
};

struct Query {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;
  bool has_question = false;
  Question question;
  Edns edns;
  Tsig tsig;
  // IXFR (RFC 1995 §3): the SERIAL of the client's SOA, from the authority section.
  bool has_client_serial = false;
  std::uint32_t client_serial = 0;

  std::uint8_t opcode() const { return (flags & kOpcodeMask) >> kOpcodeShift; }
};

// What to do with a received packet (ARCHITECTURE.md §3.4: untrusted bytes never throw).
enum class ParseOutcome {
  kQuery,    // a well-formed query: answer it
  kDrop,     // no usable header, or a response (QR=1): never answered
  kFormErr,  // malformed after the header
  kNotImp,   // an opcode other than QUERY
  kBadVers,  // EDNS version above 0 (RFC 6891 §6.1.3)
  kSigned,   // closed by a TSIG (RFC 8945): verified, then answered and signed, or NOTAUTH
};

// Parses a query into out (reused between calls; no allocation).
ParseOutcome parse_query(std::span<const std::uint8_t> packet, Query& out);

}  // namespace apex
