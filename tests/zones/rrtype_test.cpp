// Specification of RR type and class mnemonics (RFC 3597 §5 generic forms, RFC 6895 meta types).
#include "zones/rrtype.hpp"

#include <doctest/doctest.h>

using namespace apex;

namespace {
RRType type_code(std::uint16_t code) {
  return static_cast<RRType>(code);
}
}  // namespace

TEST_CASE("every RRType enumerator has a mnemonic that parses back") {
  const RRType all[] = {
      RRType::A,     RRType::NS,    RRType::CNAME,      RRType::SOA,  RRType::PTR,
      RRType::HINFO, RRType::MX,    RRType::TXT,        RRType::AAAA, RRType::SRV,
      RRType::NAPTR, RRType::DNAME, RRType::OPT,        RRType::DS,   RRType::SSHFP,
      RRType::RRSIG, RRType::NSEC,  RRType::DNSKEY,     RRType::TLSA, RRType::SVCB,
      RRType::HTTPS, RRType::IXFR,  RRType::AXFR,       RRType::ANY,  RRType::CAA,
      RRType::ALIAS, RRType::NSEC3, RRType::NSEC3PARAM, RRType::CDS,  RRType::CDNSKEY};
  for (RRType t : all) {
    std::string text = rrtype_to_text(t);
    CAPTURE(text);
    CHECK_FALSE(text.starts_with("TYPE"));
    CHECK(rrtype_from_text(text) == t);
  }
}

TEST_CASE("type mnemonics") {
  CHECK(rrtype_to_text(RRType::AAAA) == "AAAA");
  CHECK(rrtype_to_text(RRType::ALIAS) == "ALIAS");
  CHECK(rrtype_to_text(RRType::HTTPS) == "HTTPS");
  CHECK(rrtype_to_text(type_code(250)) == "TSIG");
  CHECK(rrtype_to_text(type_code(249)) == "TKEY");
}

TEST_CASE("types without a mnemonic print as TYPEnnn (RFC 3597 §5)") {
  CHECK(rrtype_to_text(type_code(65280)) == "TYPE65280");
  CHECK(rrtype_to_text(type_code(0)) == "TYPE0");
  CHECK(rrtype_to_text(type_code(53)) == "TYPE53");
}

TEST_CASE("type parsing is case-insensitive and accepts TYPEnnn for any type") {
  CHECK(rrtype_from_text("aaaa") == RRType::AAAA);
  CHECK(rrtype_from_text("Https") == RRType::HTTPS);
  CHECK(rrtype_from_text("alias") == RRType::ALIAS);
  CHECK(rrtype_from_text("TYPE65280") == type_code(65280));
  CHECK(rrtype_from_text("type1") == RRType::A);
  CHECK(rrtype_from_text("TYPE65401") == RRType::ALIAS);
  CHECK(rrtype_from_text("TYPE65535") == type_code(65535));
}

TEST_CASE("malformed type text is refused") {
  CHECK_FALSE(rrtype_from_text(""));
  CHECK_FALSE(rrtype_from_text("FOO"));
  CHECK_FALSE(rrtype_from_text("TYPE"));
  CHECK_FALSE(rrtype_from_text("TYPE65536"));
  CHECK_FALSE(rrtype_from_text("TYPE-1"));
  CHECK_FALSE(rrtype_from_text("TYPE1x"));
  CHECK_FALSE(rrtype_from_text("TYPE 1"));
  CHECK_FALSE(rrtype_from_text("AAAAA"));
  CHECK_FALSE(rrtype_from_text("IN"));
}

TEST_CASE("class mnemonics and CLASSnnn") {
  CHECK(rrclass_to_text(RRClass::IN) == "IN");
  CHECK(rrclass_to_text(RRClass::CH) == "CH");
  CHECK(rrclass_to_text(RRClass::NONE) == "NONE");
  CHECK(rrclass_to_text(RRClass::ANY) == "ANY");
  CHECK(rrclass_to_text(static_cast<RRClass>(42)) == "CLASS42");
  CHECK(rrclass_from_text("in") == RRClass::IN);
  CHECK(rrclass_from_text("CH") == RRClass::CH);
  CHECK(rrclass_from_text("CLASS1") == RRClass::IN);
  CHECK(rrclass_from_text("class42") == static_cast<RRClass>(42));
  CHECK_FALSE(rrclass_from_text("CLASS65536"));
  CHECK_FALSE(rrclass_from_text("INN"));
  CHECK_FALSE(rrclass_from_text("A"));
}

TEST_CASE("meta and question-only types (RFC 6895 §3.1)") {
  CHECK(is_meta_type(RRType::OPT));
  CHECK(is_meta_type(RRType::ANY));
  CHECK(is_meta_type(RRType::AXFR));
  CHECK(is_meta_type(RRType::IXFR));
  CHECK(is_meta_type(type_code(249)));  // TKEY
  CHECK(is_meta_type(type_code(250)));  // TSIG
  CHECK(is_meta_type(type_code(253)));  // MAILB
  CHECK(is_meta_type(type_code(254)));  // MAILA
  CHECK(is_meta_type(type_code(128)));  // start of the Q/Meta range
  CHECK_FALSE(is_meta_type(type_code(127)));
  CHECK_FALSE(is_meta_type(type_code(256)));
  CHECK_FALSE(is_meta_type(RRType::A));
  CHECK_FALSE(is_meta_type(RRType::CAA));
  CHECK_FALSE(is_meta_type(RRType::ALIAS));
  CHECK_FALSE(is_meta_type(RRType::RRSIG));
}
