// Specification of RDATA text <-> wire conversion: for each type, presentation text -> wire
// octets -> text again, the error for bad input, and wire validation (RFC 1035 §3.3, §5.1;
// RFC 3597; the RFC of each type).
#include "zones/rdata.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "zones/base_encoding.hpp"

using namespace apex;

namespace {

using Octets = std::vector<std::uint8_t>;

const Name& origin() {
  static const Name name = *Name::from_text("example.com.");
  return name;
}

// Octets from hex with optional spaces, e.g. "000a 046d61696c".
Octets hex(std::string_view text) {
  std::string digits;
  for (char c : text)
    if (c != ' ') digits.push_back(c);
  auto octets = hex_decode(digits);
  REQUIRE(octets);
  return *octets;
}

Result<Octets> parse(RRType type, std::string_view text) {
  auto tokens = rdata_tokenize(text);
  if (!tokens) return Error{"tokenize: " + tokens.error()};
  return rdata_from_text(type, *tokens, origin());
}

Octets wire(RRType type, std::string_view text) {
  auto rdata = parse(type, text);
  if (!rdata) FAIL(rdata.error());
  return *rdata;
}

std::string error(RRType type, std::string_view text) {
  auto rdata = parse(type, text);
  CHECK_FALSE(rdata.ok());
  return rdata ? std::string("(no error)") : rdata.error();
}

std::string text(RRType type, const Octets& rdata) {
  return rdata_to_text(type, rdata);
}

std::string check_error(RRType type, const Octets& rdata) {
  auto ok = rdata_check_wire(type, rdata);
  CHECK_FALSE(ok.ok());
  return ok ? std::string("(no error)") : ok.error();
}

// rdata_from_text(type, tokenize(rdata_to_text(x))) == x, and x is valid wire RDATA.
void check_round_trip(RRType type, std::string_view presentation) {
  CAPTURE(presentation);
  Octets first = wire(type, presentation);
  CHECK(rdata_check_wire(type, first).ok());
  std::string printed = rdata_to_text(type, first);
  CAPTURE(printed);
  CHECK(wire(type, printed) == first);
}

RRType type_code(std::uint16_t code) {
  return static_cast<RRType>(code);
}

}  // namespace

TEST_CASE("A (RFC 1035 §3.4.1)") {
  CHECK(wire(RRType::A, "192.0.2.1") == hex("c0000201"));
  CHECK(text(RRType::A, hex("c0000201")) == "192.0.2.1");
  CHECK(error(RRType::A, "192.0.2") == "A address: '192.0.2' is not an IPv4 address");
  CHECK(error(RRType::A, "192.0.2.256") == "A address: '192.0.2.256' is not an IPv4 address");
  CHECK(error(RRType::A, "") == "A address: missing");
  CHECK(error(RRType::A, "192.0.2.1 192.0.2.2") ==
        "A: unexpected '192.0.2.2' after the last field");
  CHECK(check_error(RRType::A, hex("c00002")) == "A address: RDATA ends early");
  CHECK(check_error(RRType::A, hex("c000020101")) == "A: 1 octet after the last field");
}

TEST_CASE("AAAA (RFC 3596 §2.2), printed in RFC 5952 form") {
  CHECK(wire(RRType::AAAA, "2001:db8::1") == hex("20010db8 00000000 00000000 00000001"));
  CHECK(text(RRType::AAAA, wire(RRType::AAAA, "2001:DB8:0:0:0:0:0:1")) == "2001:db8::1");
  CHECK(error(RRType::AAAA, "2001:db8::g") == "AAAA address: '2001:db8::g' is not an IPv6 address");
  CHECK(error(RRType::AAAA, "192.0.2.1") == "AAAA address: '192.0.2.1' is not an IPv6 address");
  CHECK(check_error(RRType::AAAA, hex("20010db8")) == "AAAA address: RDATA ends early");
}

TEST_CASE("NS, CNAME, DNAME, PTR and ALIAS hold one uncompressed name") {
  CHECK(wire(RRType::NS, "ns1") == hex("036e7331 076578616d706c65 03636f6d 00"));
  CHECK(text(RRType::NS, hex("036e7331 076578616d706c65 03636f6d 00")) == "ns1.example.com.");
  CHECK(wire(RRType::CNAME, "www.example.net.") == hex("03777777 076578616d706c65 036e6574 00"));
  CHECK(wire(RRType::DNAME, "@") == hex("076578616d706c65 03636f6d 00"));
  CHECK(wire(RRType::PTR, "host.example.com.") == hex("04686f7374 076578616d706c65 03636f6d 00"));
  CHECK(wire(RRType::ALIAS, "lb.cdn.example.net.") ==
        hex("026c62 0363646e 076578616d706c65 036e6574 00"));
  CHECK(text(RRType::ALIAS, hex("026c62 0363646e 076578616d706c65 036e6574 00")) ==
        "lb.cdn.example.net.");
  CHECK(error(RRType::NS, "a..b") == "NS nameserver: invalid name 'a..b': empty label");
  CHECK(error(RRType::CNAME, "") == "CNAME target: missing");
  CHECK(error(RRType::ALIAS, "a.example. b.example.") ==
        "ALIAS: unexpected 'b.example.' after the last field");
  CHECK(check_error(RRType::NS, hex("c00c")) == "NS nameserver: compressed name");
  CHECK(check_error(RRType::CNAME, hex("03777777")) ==
        "CNAME target: name runs past the end of the RDATA");
  CHECK(check_error(RRType::PTR, Octets(1, 64)) == "PTR target: label longer than 63 octets");
  CHECK(check_error(RRType::ALIAS, hex("0161 00 00")) == "ALIAS: 1 octet after the last field");
  CHECK(check_error(RRType::DNAME, {}) == "DNAME target: name runs past the end of the RDATA");
}

TEST_CASE("names in RDATA keep their case and escapes") {
  CHECK(text(RRType::CNAME, wire(RRType::CNAME, "WWW.Example.NET.")) == "WWW.Example.NET.");
  CHECK(wire(RRType::CNAME, "a\\.b.example.") == hex("03612e62 076578616d706c65 00"));
  CHECK(text(RRType::CNAME, hex("03612e62 076578616d706c65 00")) == "a\\.b.example.");
}

TEST_CASE("SOA (RFC 1035 §3.3.13): timers accept BIND units") {
  Octets expected =
      hex("036e7331 076578616d706c65 03636f6d 00"
          "0a686f73746d6173746572 076578616d706c65 03636f6d 00"
          "78a3f175 00000e10 00000384 00093a80 0000012c");
  CHECK(wire(RRType::SOA, "ns1 hostmaster 2024010101 1h 15m 1w 5m") == expected);
  CHECK(wire(RRType::SOA, "ns1 hostmaster 2024010101 3600 900 604800 300") == expected);
  CHECK(text(RRType::SOA, expected) ==
        "ns1.example.com. hostmaster.example.com. 2024010101 3600 900 604800 300");
  CHECK(error(RRType::SOA, "ns1 hostmaster 4294967296 1h 15m 1w 5m") ==
        "SOA serial: '4294967296' is not a number from 0 to 4294967295");
  CHECK(error(RRType::SOA, "ns1 hostmaster 1 1x 15m 1w 5m") ==
        "SOA refresh: '1x' is not a number of seconds or a time such as 1h30m");
  CHECK(error(RRType::SOA, "ns1 hostmaster 1 1h 15m 1w") == "SOA minimum: missing");
  Octets short_soa(expected.begin(), expected.end() - 1);
  CHECK(check_error(RRType::SOA, short_soa) == "SOA minimum: RDATA ends early");
}

TEST_CASE("MX (RFC 1035 §3.3.9)") {
  CHECK(wire(RRType::MX, "10 mail") == hex("000a 046d61696c 076578616d706c65 03636f6d 00"));
  CHECK(text(RRType::MX, wire(RRType::MX, "10 mail")) == "10 mail.example.com.");
  CHECK(error(RRType::MX, "70000 mail") ==
        "MX preference: '70000' is not a number from 0 to 65535");
  CHECK(error(RRType::MX, "-1 mail") == "MX preference: '-1' is not a number from 0 to 65535");
  CHECK(error(RRType::MX, "10") == "MX exchange: missing");
  CHECK(error(RRType::MX, "10 mail extra") == "MX: unexpected 'extra' after the last field");
  CHECK(check_error(RRType::MX, hex("000a")) == "MX exchange: name runs past the end of the RDATA");
  CHECK(check_error(RRType::MX, hex("00")) == "MX preference: RDATA ends early");
}

TEST_CASE("TXT (RFC 1035 §3.3.14): one or more character-strings, always printed quoted") {
  CHECK(wire(RRType::TXT, "\"v=spf1 -all\"") == hex("0b 763d73706631202d616c6c"));
  CHECK(wire(RRType::TXT, "\"a\" b \"c d\"") == hex("0161 0162 03632064"));
  CHECK(text(RRType::TXT, hex("0161 0162 03632064")) == "\"a\" \"b\" \"c d\"");
  CHECK(wire(RRType::TXT, "\"\"") == hex("00"));
  CHECK(text(RRType::TXT, hex("00")) == "\"\"");
  // Escapes: \X is X, \DDD is the octet DDD (RFC 1035 §5.1).
  CHECK(wire(RRType::TXT, R"("say \"hi\"" "\065\\" a\;b)") ==
        hex("08 7361792022686922 02415c 03613b62"));
  CHECK(text(RRType::TXT, hex("08 7361792022686922 02415c 03613b62")) ==
        R"("say \"hi\"" "A\\" "a;b")");
  CHECK(text(RRType::TXT, hex("05 636166c3a9")) == R"("caf\195\169")");
  CHECK(error(RRType::TXT, std::string(1, '"') + std::string(256, 'x') + "\"")
            .ends_with("' is longer than 255 octets"));
  CHECK(error(RRType::TXT, R"("\300")") == R"(TXT text: '"\300"' has a \DDD escape above 255)");
  CHECK(error(RRType::TXT, R"("\12x")") ==
        R"(TXT text: '"\12x"' has a \DDD escape without three digits)");
  CHECK(error(RRType::TXT, "\"a\"b") == "TXT text: '\"a\"b' has text after the closing quote");
  CHECK(error(RRType::TXT, "a\"b\"") ==
        "TXT text: 'a\"b\"' has a quote that does not start the string");
  CHECK(error(RRType::TXT, "") == "TXT text: missing");
  CHECK(error(RRType::TXT, "\"open") == "tokenize: quoted string without a closing quote");
  CHECK(check_error(RRType::TXT, {}) == "TXT text: no character-string");
  CHECK(check_error(RRType::TXT, hex("05616263")) ==
        "TXT text: character-string runs past the end");
}

TEST_CASE("HINFO (RFC 1035 §3.3.2)") {
  CHECK(wire(RRType::HINFO, "\"INTEL-386\" Linux") == hex("09494e54454c2d333836 054c696e7578"));
  CHECK(text(RRType::HINFO, hex("09494e54454c2d333836 054c696e7578")) == "\"INTEL-386\" \"Linux\"");
  CHECK(error(RRType::HINFO, "INTEL-386") == "HINFO os: missing");
  CHECK(check_error(RRType::HINFO, hex("0161")) == "HINFO os: character-string runs past the end");
}

TEST_CASE("SRV (RFC 2782)") {
  Octets expected = hex("000a 003c 13c4 03736970 076578616d706c65 03636f6d 00");
  CHECK(wire(RRType::SRV, "10 60 5060 sip.example.com.") == expected);
  CHECK(text(RRType::SRV, expected) == "10 60 5060 sip.example.com.");
  CHECK(error(RRType::SRV, "10 60 65536 sip") ==
        "SRV port: '65536' is not a number from 0 to 65535");
  CHECK(error(RRType::SRV, "10 60 5060") == "SRV target: missing");
}

TEST_CASE("NAPTR (RFC 3403 §4)") {
  Octets expected =
      hex("0064 000a 0153 075349502b443255"
          "1b 215e2e2a24217369703a696e666f406578616d706c652e636f6d21"
          "045f736970 045f756470 076578616d706c65 03636f6d 00");
  CHECK(wire(RRType::NAPTR,
             R"(100 10 "S" "SIP+D2U" "!^.*$!sip:info@example.com!" _sip._udp.example.com.)") ==
        expected);
  CHECK(text(RRType::NAPTR, expected) ==
        R"(100 10 "S" "SIP+D2U" "!^.*$!sip:info@example.com!" _sip._udp.example.com.)");
  CHECK(wire(RRType::NAPTR, R"(100 10 "" "" "" .)") == hex("0064 000a 00 00 00 00"));
  CHECK(error(RRType::NAPTR, R"(x 10 "" "" "" .)") ==
        "NAPTR order: 'x' is not a number from 0 to 65535");
  CHECK(error(RRType::NAPTR, R"(100 10 "S" "SIP+D2U" "x")") == "NAPTR replacement: missing");
}

TEST_CASE("CAA (RFC 8659 §4.1)") {
  Octets expected = hex("00 05 6973737565 6c657473656e63727970742e6f7267");
  CHECK(wire(RRType::CAA, "0 issue \"letsencrypt.org\"") == expected);
  CHECK(wire(RRType::CAA, "0 issue letsencrypt.org") == expected);
  CHECK(text(RRType::CAA, expected) == "0 issue \"letsencrypt.org\"");
  CHECK(wire(RRType::CAA, "128 iodef \"mailto:security@example.com\"") ==
        hex("80 05 696f646566 6d61696c746f3a7365637572697479406578616d706c652e636f6d"));
  CHECK(wire(RRType::CAA, "0 issue \";\"") == hex("00 05 6973737565 3b"));
  CHECK(wire(RRType::CAA, "0 issue \"\"") == hex("00 05 6973737565"));
  CHECK(text(RRType::CAA, hex("00 05 6973737565")) == "0 issue \"\"");
  CHECK(error(RRType::CAA, "0 is-sue \"x\"") ==
        "CAA tag: 'is-sue' has characters other than letters and digits");
  CHECK(error(RRType::CAA, "256 issue \"x\"") == "CAA flags: '256' is not a number from 0 to 255");
  CHECK(error(RRType::CAA, "0 issue") == "CAA value: missing");
  CHECK(check_error(RRType::CAA, hex("00 00 61")) == "CAA tag: empty");
  CHECK(check_error(RRType::CAA, hex("00 05 6973")) == "CAA tag: runs past the end");
}

TEST_CASE("DS (RFC 4034 §5.3): digest hex may be split, its length fits the digest type") {
  Octets expected = hex("ec45 05 01 2bb183af5f22588179a53b0a98631fad1a292118");
  CHECK(wire(RRType::DS, "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118") == expected);
  CHECK(wire(RRType::DS, "60485 5 1 ( 2BB183AF5F22588179A5\n 3B0A98631FAD1A292118 )") == expected);
  CHECK(text(RRType::DS, expected) == "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118");
  CHECK(error(RRType::DS, "60485 5 1 XYZ") == "DS digest: 'XYZ' is not hexadecimal");
  CHECK(error(RRType::DS, "60485 5 2 0102") == "DS digest: digest type 2 needs 32 octets, not 2");
  CHECK(error(RRType::DS, "60485 5 1") == "DS digest: missing");
  CHECK(check_error(RRType::DS, hex("ec45 05 01 0102")) ==
        "DS digest: digest type 1 needs 20 octets, not 2");
  CHECK(check_error(RRType::DS, hex("ec45 05 01")) == "DS digest: missing");
  // Unknown digest types carry any non-empty digest.
  CHECK(wire(RRType::DS, "1 8 99 0102") == hex("0001 08 63 0102"));
}

TEST_CASE("SSHFP (RFC 4255 §3.2, RFC 6594)") {
  const char* fingerprint = "123456789abcdef67890123456789abcdef67890123456789abcdef123456789";
  Octets expected = hex(std::string("04 02 ") + fingerprint);
  CHECK(wire(RRType::SSHFP, std::string("4 2 ") + fingerprint) == expected);
  CHECK(text(RRType::SSHFP, expected) ==
        "4 2 123456789ABCDEF67890123456789ABCDEF67890123456789ABCDEF123456789");
  CHECK(error(RRType::SSHFP, "4 1 0102") ==
        "SSHFP fingerprint: fingerprint type 1 needs 20 octets, not 2");
  CHECK(error(RRType::SSHFP, "4 x 0102") ==
        "SSHFP fingerprint type: 'x' is not a number from 0 to 255");
}

TEST_CASE("TLSA (RFC 6698 §2.2)") {
  Octets expected =
      hex("03 01 01 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6");
  CHECK(wire(RRType::TLSA,
             "3 1 1 0C72AC70B745AC19998811B131D662C9 AC69DBDBE7CB23E5B514B56664C5D3D6") ==
        expected);
  CHECK(text(RRType::TLSA, expected) ==
        "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6");
  CHECK(wire(RRType::TLSA, "3 1 0 0102") == hex("03 01 00 0102"));
  CHECK(error(RRType::TLSA, "3 1 2 0102") == "TLSA data: matching type 2 needs 64 octets, not 2");
  CHECK(error(RRType::TLSA, "3 1 1 0") == "TLSA data: '0' is not hexadecimal");
  CHECK(check_error(RRType::TLSA, hex("03 01 00")) == "TLSA data: missing");
}

TEST_CASE("DNSKEY (RFC 4034 §2.2): base64 key may be split") {
  CHECK(wire(RRType::DNSKEY, "257 3 8 AwEA AQ==") == hex("0101 03 08 03010001"));
  CHECK(text(RRType::DNSKEY, hex("0101 03 08 03010001")) == "257 3 8 AwEAAQ==");
  CHECK(error(RRType::DNSKEY, "257 3 8 AwE") == "DNSKEY public key: 'AwE' is not base64");
}

TEST_CASE("SVCB and HTTPS (RFC 9460 Appendix D.1 and D.2 test vectors)") {
  const char* foo_com = "03666f6f 076578616d706c65 03636f6d 00";
  const char* foo_org = "03666f6f 076578616d706c65 036f7267 00";
  CHECK(wire(RRType::HTTPS, "0 foo.example.com.") == hex(std::string("0000") + foo_com));
  CHECK(wire(RRType::SVCB, "1 .") == hex("0001 00"));
  CHECK(wire(RRType::SVCB, "16 foo.example.com. port=53") ==
        hex(std::string("0010") + foo_com + "0003 0002 0035"));
  CHECK(wire(RRType::SVCB, "1 foo.example.com. key667=hello") ==
        hex(std::string("0001") + foo_com + "029b 0005 68656c6c6f"));
  CHECK(wire(RRType::SVCB, R"(1 foo.example.com. key667="hello\210qoo")") ==
        hex(std::string("0001") + foo_com + "029b 0009 68656c6c6fd2716f6f"));
  CHECK(wire(RRType::SVCB, R"(1 foo.example.com. ipv6hint="2001:db8::1,2001:db8::53:1")") ==
        hex(std::string("0001") + foo_com +
            "0006 0020 20010db8000000000000000000000001 20010db8000000000000000000530001"));
  CHECK(wire(RRType::SVCB,
             "1 example.com. ipv6hint=\"2001:db8:ffff:ffff:ffff:ffff:198.51.100.100\"") ==
        hex("0001 076578616d706c65 03636f6d 00 0006 0010 20010db8ffffffffffffffffc6336464"));
  CHECK(wire(RRType::SVCB,
             "16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn ipv4hint=192.0.2.1") ==
        hex(std::string("0010") + foo_org +
            "0000 0004 0001 0004 0001 0009 026832 0568332d3139 0004 0004 c0000201"));
  CHECK(wire(RRType::SVCB, R"(16 foo.example.org. alpn="f\\\\oo\\,bar,h2")") ==
        hex(std::string("0010") + foo_org + "0001 000c 08665c6f6f2c626172 026832"));
}

TEST_CASE("SVCB and HTTPS presentation output") {
  CHECK(text(RRType::HTTPS,
             wire(RRType::HTTPS, "1 . port=8443 ech=AEj+ alpn=h3,h2 no-default-alpn")) ==
        "1 . alpn=\"h3,h2\" no-default-alpn port=8443 ech=AEj+");
  CHECK(text(RRType::SVCB, wire(RRType::SVCB,
                                "16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn "
                                "ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1")) ==
        "16 foo.example.org. mandatory=alpn,ipv4hint alpn=\"h2,h3-19\" "
        "ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1");
  CHECK(text(RRType::SVCB, wire(RRType::SVCB, R"(1 . alpn="f\\\\oo\\,bar,h2")")) ==
        R"(1 . alpn="f\\\\oo\\,bar,h2")");
  CHECK(text(RRType::SVCB, wire(RRType::SVCB, R"(1 . key667="hello\210qoo" key668)")) ==
        R"(1 . key667="hello\210qoo" key668)");
  CHECK(text(RRType::HTTPS, wire(RRType::HTTPS, "0 svc.example.net.")) == "0 svc.example.net.");
}

TEST_CASE("SVCB and HTTPS errors (RFC 9460 Appendix D.3 and key syntax)") {
  auto svcb = [](std::string_view params) {
    return error(RRType::SVCB, std::string("1 foo.example.com. ") + std::string(params));
  };
  CHECK(svcb("key123=abc key123=def") == "SVCB param key123: appears twice");
  CHECK(svcb("mandatory") == "SVCB param mandatory: needs a value");
  CHECK(svcb("alpn") == "SVCB param alpn: needs a value");
  CHECK(svcb("port") == "SVCB param port: needs a value");
  CHECK(svcb("ipv4hint=") == "SVCB param ipv4hint: needs a value");
  CHECK(svcb("ipv6hint") == "SVCB param ipv6hint: needs a value");
  CHECK(svcb("alpn=h2 no-default-alpn=abc") == "SVCB param no-default-alpn: takes no value");
  CHECK(svcb("mandatory=key123") ==
        "SVCB param mandatory: lists key123, which is not among the params");
  CHECK(svcb("mandatory=mandatory") == "SVCB param mandatory: must not list mandatory itself");
  CHECK(svcb("key123=abc mandatory=key123,key123") == "SVCB param mandatory: lists key123 twice");
  CHECK(svcb("no-default-alpn") == "SVCB param no-default-alpn: needs an alpn param as well");
  CHECK(svcb("foo=1") == "SVCB param 'foo': unknown key (write keyNNNNN for others)");
  CHECK(svcb("key65535=1") == "SVCB param 'key65535': unknown key (write keyNNNNN for others)");
  CHECK(svcb("port=99999") == "SVCB param port: '99999' is not a number from 0 to 65535");
  CHECK(svcb("ipv4hint=192.0.2.1,1.2.3") == "SVCB param ipv4hint: '1.2.3' is not an IPv4 address");
  CHECK(svcb("ipv6hint=1.2.3.4") == "SVCB param ipv6hint: '1.2.3.4' is not an IPv6 address");
  CHECK(svcb("ech=!!") == "SVCB param ech: '!!' is not base64");
  CHECK(svcb("alpn=h2,,h3") == "SVCB param alpn: empty item in the comma-separated list");
  CHECK(svcb("key1=\"open") == "tokenize: quoted string without a closing quote");
  CHECK(error(RRType::HTTPS, "1") == "HTTPS target: missing");
  CHECK(error(RRType::HTTPS, "x .") == "HTTPS priority: 'x' is not a number from 0 to 65535");
}

TEST_CASE("SVCB wire validation") {
  CHECK(rdata_check_wire(RRType::SVCB, hex("0001 00 0001 0003 026832 0003 0002 01bb")).ok());
  CHECK(check_error(RRType::SVCB, hex("0001 00 0003 0002 01bb 0001 0003 026832")) ==
        "SVCB param alpn: keys not in strictly increasing order");
  CHECK(check_error(RRType::SVCB, hex("0001 00 0003 0002 01bb 0003 0002 01bb")) ==
        "SVCB param port: keys not in strictly increasing order");
  CHECK(check_error(RRType::SVCB, hex("0001 00 0003 0003 01bb00")) ==
        "SVCB param port: value is not 2 octets");
  CHECK(check_error(RRType::SVCB, hex("0001 00 0003 00")) ==
        "SVCB param list ends inside a key or length");
  CHECK(check_error(RRType::SVCB, hex("0001 00 0003 0004 01bb")) ==
        "SVCB param port: value runs past the end");
  CHECK(check_error(RRType::SVCB, hex("0001 00 0001 0003 036832")) ==
        "SVCB param alpn: malformed protocol id list");
  CHECK(check_error(RRType::SVCB, hex("0001 00 0004 0003 c00002")) ==
        "SVCB param ipv4hint: length is not a positive multiple of 4");
  CHECK(check_error(RRType::SVCB, hex("0001 00 0000 0002 0003")) ==
        "SVCB param mandatory: lists port, which is not among the params");
  CHECK(check_error(RRType::SVCB, hex("0001 00 ffff 0000")) ==
        "SVCB param key65535: reserved as an invalid key (RFC 9460 §14.3.2)");
  CHECK(check_error(RRType::HTTPS, hex("0001")) ==
        "HTTPS target: name runs past the end of the RDATA");
}

TEST_CASE("RFC 3597 generic form works for every type") {
  RRType private_type = type_code(65280);
  CHECK(wire(private_type, "\\# 4 0A000001") == hex("0a000001"));
  CHECK(wire(private_type, "\\# 4 0a00 0001") == hex("0a000001"));
  CHECK(text(private_type, hex("0a000001")) == "\\# 4 0A000001");
  CHECK(wire(private_type, "\\# 0").empty());
  CHECK(text(private_type, {}) == "\\# 0");
  // A known type in generic form is the same RDATA, printed in the type's own syntax.
  CHECK(wire(RRType::A, "\\# 4 C0000201") == wire(RRType::A, "192.0.2.1"));
  CHECK(text(RRType::A, wire(RRType::A, "\\# 4 C0000201")) == "192.0.2.1");
  CHECK(error(private_type, "\\# 3 0A000001") ==
        "TYPE65280 generic RDATA data: 4 octets, but the length says 3");
  CHECK(error(private_type, "\\# x") ==
        "TYPE65280 generic RDATA length: 'x' is not a number from 0 to 65535");
  CHECK(error(private_type, "\\# 2 ZZZZ") ==
        "TYPE65280 generic RDATA data: 'ZZZZ' is not hexadecimal");
  CHECK(error(private_type, "\\#") == "TYPE65280 generic RDATA length: missing");
  CHECK(error(RRType::A, "\\# 3 C00002") == "generic RDATA: A address: RDATA ends early");
  CHECK(error(private_type, "0A000001") ==
        "TYPE65280: write this type's RDATA in the RFC 3597 generic form (\\# LENGTH HEX)");
  CHECK(error(RRType::TKEY, "hmac-sha256. 1 2 3 0 0") ==
        "TKEY: write this type's RDATA in the RFC 3597 generic form (\\# LENGTH HEX)");
  // Known-type RDATA that is not valid for its type is printed in generic form.
  CHECK(text(RRType::A, hex("c00002")) == "\\# 3 C00002");
  CHECK(text(RRType::MX, hex("000a")) == "\\# 2 000A");
}

TEST_CASE("wire RDATA is limited to 65535 octets (RFC 1035 §3.2.1)") {
  Octets txt;
  for (int i = 0; i < 257; ++i) {
    txt.push_back(255);
    txt.insert(txt.end(), 255, 'x');
  }
  REQUIRE(txt.size() > 65535);
  CHECK(check_error(RRType::TXT, txt) == "TXT: RDATA longer than 65535 octets");
  CHECK(check_error(type_code(65280), Octets(65536)) ==
        "TYPE65280: RDATA longer than 65535 octets");
  CHECK(rdata_check_wire(type_code(65280), Octets(65535)).ok());
}

TEST_CASE("rdata_to_text round-trips through rdata_tokenize and rdata_from_text") {
  const std::pair<RRType, std::string> cases[] = {
      {RRType::A, "198.51.100.7"},
      {RRType::AAAA, "::ffff:192.0.2.1"},
      {RRType::AAAA, "fe80::1:2"},
      {RRType::NS, "ns\\(1\\).example.com."},
      {RRType::CNAME, "we\\;ird\\032name.example."},
      {RRType::PTR, "\\@.\\$.example."},
      {RRType::ALIAS, "lb.example.net."},
      {RRType::SOA, ". . 0 0 0 0 0"},
      {RRType::SOA, "ns1 hostmaster 4294967295 1w2d 1h 4w 1d"},
      {RRType::MX, "0 ."},
      {RRType::TXT, R"x("semi;colon (paren)" "back\\slash" "q\"uote" "\000\255" "")x"},
      {RRType::TXT, "v=DKIM1\\;"},
      {RRType::HINFO, R"("" "")"},
      {RRType::SRV, "0 0 0 ."},
      {RRType::NAPTR, R"(10 20 "u" "E2U+sip" "!^\\+1(.*)$!sip:\\1@example.com!" .)"},
      {RRType::CAA, R"(0 tbs "Unknown \"quoted\" value")"},
      {RRType::DS, "1 13 4 " + std::string(96, 'a')},
      {RRType::SSHFP, "1 1 0123456789abcdef0123456789abcdef01234567"},
      {RRType::TLSA, "0 0 0 aa"},
      {RRType::DNSKEY,
       "256 3 13 "
       "oJMRESz5E4gYzS/q6XDrvU1qMPYIjCWzJaOau8XNEZeqCYKD5ar0IRd8KqXXFJkqmVfRvMGPmM1x8fGAa2XhSA=="},
      {RRType::SVCB, R"(1 svc.example. alpn="a\\,b,\\\\c,d e" key9="\000;" key10 port=0)"},
      {RRType::HTTPS, "1 . mandatory=port,ech ech=AEj+ port=443"},
      {type_code(65280), "\\# 3 abcdef"},
      {type_code(65280), "\\# 0"},
  };
  for (const auto& [type, presentation] : cases) check_round_trip(type, presentation);
}

TEST_CASE("rdata_tokenize splits one line the way a master file does") {
  using Tokens = std::vector<std::string>;
  CHECK(*rdata_tokenize("10 mail.example.com.") == Tokens{"10", "mail.example.com."});
  CHECK(*rdata_tokenize("  \"a b\"\tc  ") == Tokens{"\"a b\"", "c"});
  CHECK(*rdata_tokenize("a\\ b") == Tokens{"a\\ b"});
  CHECK(*rdata_tokenize("alpn=\"h2 x\" port=1") == Tokens{"alpn=\"h2 x\"", "port=1"});
  CHECK(*rdata_tokenize("( 1\n 2 )") == Tokens{"1", "2"});
  CHECK(*rdata_tokenize("\"; (\"") == Tokens{"\"; (\""});
  CHECK(rdata_tokenize("")->empty());
  CHECK(rdata_tokenize("\"open").error() == "quoted string without a closing quote");
  CHECK(rdata_tokenize("v=DKIM1; k=rsa").error() ==
        "';' starts a comment here; quote the text or escape it as \\;");
  CHECK(rdata_tokenize("a\nb").error() == "RDATA must be on one line (or inside parentheses)");
  CHECK(rdata_tokenize("( a").error() == "'(' is never closed");
  CHECK(rdata_tokenize("a )").error() == "')' without an opening '('");
  CHECK(rdata_tokenize("a\\").error() == "backslash at the end of a line");
}
