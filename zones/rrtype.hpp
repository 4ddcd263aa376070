// Resource record types, classes and their mnemonics (RFC 1035 §3.2, IANA registry, RFC 3597 §5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace apex {

enum class RRType : std::uint16_t {
  A = 1,
  NS = 2,
  CNAME = 5,
  SOA = 6,
  PTR = 12,
  HINFO = 13,
  MX = 15,
  TXT = 16,
  AAAA = 28,
  SRV = 33,
  NAPTR = 35,
  DNAME = 39,
  OPT = 41,
  DS = 43,
  SSHFP = 44,
  RRSIG = 46,
  NSEC = 47,
  DNSKEY = 48,
  NSEC3 = 50,
  NSEC3PARAM = 51,
  TLSA = 52,
  CDS = 59,
  CDNSKEY = 60,
  SVCB = 64,
  HTTPS = 65,
  TKEY = 249,
  TSIG = 250,
  IXFR = 251,
  AXFR = 252,
  ANY = 255,
  CAA = 257,
  // Private-use type code (RFC 6895 §3.1) that apexdns stores ALIAS records under.
  ALIAS = 65401,
};

enum class RRClass : std::uint16_t {
  IN = 1,
  CH = 3,
  NONE = 254,
  ANY = 255,
};

// Mnemonic such as "AAAA", or "TYPE65280" for types without one (RFC 3597 §5).
std::string rrtype_to_text(RRType type);
// Case-insensitive mnemonic or "TYPEnnn".
std::optional<RRType> rrtype_from_text(std::string_view text);

std::string rrclass_to_text(RRClass cls);
std::optional<RRClass> rrclass_from_text(std::string_view text);  // IN, CH, CLASSnnn

// Meta and question-only types (RFC 6895 §3.1) that never appear as zone data.
bool is_meta_type(RRType type);

}  // namespace apex
