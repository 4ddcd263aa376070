// Specification of the master-file syntax of DNSSEC records (RFC 4034 §2.2, §3.2, §4.2, §5.3;
// RFC 5155 §3.3, §4.3; RFC 7344; RFC 8078): the RFCs' examples parse to the right octets and
// print back; field errors name the field.
#include <doctest/doctest.h>

#include "tests/zones/dnssec_vectors.hpp"
#include "zones/base_encoding.hpp"
#include "zones/dnssec_fields.hpp"

using namespace apex;
using namespace apex::test;

namespace {

std::string round_trip(RRType type, std::string_view text) {
  return rdata_to_text(type, rdata(type, text));
}

std::string error(RRType type, std::string_view text) {
  auto tokens = rdata_tokenize(text);
  REQUIRE(tokens);
  auto octets = rdata_from_text(type, *tokens, Name());
  return octets ? std::string("(no error)") : octets.error();
}

}  // namespace

TEST_CASE("RRSIG (RFC 4034 §3.3): calendar times, type mnemonic, signer, base64") {
  const char* text =
      "A 5 3 86400 20030322173103 20030220173103 2642 example.com. "
      "oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6oB9wfuh3DTJXUAfI/"
      "M0zmO/zz8bW0Rznl8O3tGNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkGJ5D6fwFm8nN+6pBzeDQfsS3Ap3o=";
  auto octets = rdata(RRType::RRSIG, text);
  CHECK(std::vector<std::uint8_t>(octets.begin(), octets.begin() + 18) ==
        *hex_decode("0001050300015180"
                    "3E7C9DD7"
                    "3E5510D7"
                    "0A52"));
  CHECK(rdata_to_text(RRType::RRSIG, octets) == text);
  // Times may be written as seconds; they print as calendar times.
  CHECK(round_trip(RRType::RRSIG, "MX 15 2 3600 1440021600 1438207200 3613 example.com. AAAA") ==
        "MX 15 2 3600 20150819220000 20150729220000 3613 example.com. AAAA");
  CHECK(error(RRType::RRSIG, "A 5 3 86400 20030230173103 20030220173103 1 ex. AAAA") ==
        "RRSIG expiration: '20030230173103' is not a time such as 20260101000000");
  CHECK(error(RRType::RRSIG, "BOGUS 5 3 86400 1 2 1 ex. AAAA") ==
        "RRSIG type covered: 'BOGUS' is not a type");
}

TEST_CASE("signature times: the 14-digit form, seconds, and the 2106 wrap") {
  CHECK(parse_signature_time("19700101000000") == 0u);
  CHECK(parse_signature_time("21060207062815") == 0xffffffffu);
  CHECK(parse_signature_time("21060207062816") == 0u);  // modulo 2^32 (RFC 4034 §3.1.5)
  CHECK(parse_signature_time("4294967295") == 0xffffffffu);
  CHECK_FALSE(parse_signature_time("4294967296"));
  CHECK_FALSE(parse_signature_time("20031322173103"));
  CHECK_FALSE(parse_signature_time("2003032217310x"));
  CHECK(signature_time_to_text(1048354263) == "20030322173103");
}

TEST_CASE("NSEC (RFC 4034 §4.3) and NSEC3 (RFC 5155 Appendix A) print back") {
  CHECK(round_trip(RRType::NSEC, "host.example.com. A MX RRSIG NSEC TYPE1234") ==
        "host.example.com. A MX RRSIG NSEC TYPE1234");
  CHECK(round_trip(RRType::NSEC3,
                   "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA "
                   "NSEC3PARAM RRSIG") ==
        "1 1 12 AABBCCDD 2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM");
  // An empty non-terminal's NSEC3 has no types (RFC 5155 §7.1).
  CHECK(round_trip(RRType::NSEC3, "1 0 0 - K8UDEMVP1J2F7EG6JEBPS17VP3N8I58H") ==
        "1 0 0 - k8udemvp1j2f7eg6jebps17vp3n8i58h");
  auto nsec3 = rdata(RRType::NSEC3, "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A");
  CHECK(nsec3.size() == 4 + 5 + 21 + 3);
  CHECK(
      error(RRType::NSEC3, "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22boj! A") ==
      "NSEC3 next hashed: '2t7b4g4vsa5smi47k61mv5bv1a22boj!' is not 1 to 255 octets of base32hex");
  CHECK(error(RRType::NSEC, "next.example. A BOGUS") == "NSEC types: 'BOGUS' is not a type");
}

TEST_CASE("NSEC3PARAM, CDS and CDNSKEY, including RFC 8078 §4's delete records") {
  CHECK(round_trip(RRType::NSEC3PARAM, "1 0 12 aabbccdd") == "1 0 12 AABBCCDD");
  CHECK(round_trip(RRType::NSEC3PARAM, "1 0 0 -") == "1 0 0 -");
  CHECK(error(RRType::NSEC3PARAM, "1 0 0 xyz") ==
        "NSEC3PARAM salt: 'xyz' is not \"-\" or 1 to 255 octets of hexadecimal");
  CHECK(round_trip(RRType::CDS, "0 0 0 00") == "0 0 0 00");
  CHECK(round_trip(RRType::CDNSKEY, "0 3 0 AA==") == "0 3 0 AA==");
  CHECK(rdata(RRType::CDS, kRfc6605P256.ds) == rdata(RRType::DS, kRfc6605P256.ds));
  CHECK(rdata(RRType::CDNSKEY, kRfc6605P256.dnskey) == rdata(RRType::DNSKEY, kRfc6605P256.dnskey));
  CHECK(error(RRType::CDS, "1 13 2 00") == "CDS digest: digest type 2 needs 32 octets, not 1");
}

TEST_CASE("malformed DNSSEC wire RDATA is refused, and printed in generic form") {
  // NSEC whose bitmap has a window of length 0.
  std::vector<std::uint8_t> nsec{0, 0, 0};
  CHECK_FALSE(rdata_check_wire(RRType::NSEC, nsec));
  CHECK(rdata_to_text(RRType::NSEC, nsec) == "\\# 3 000000");
  // NSEC3 with an empty next hashed owner.
  std::vector<std::uint8_t> nsec3{1, 0, 0, 0, 0, 0};
  CHECK_FALSE(rdata_check_wire(RRType::NSEC3, nsec3));
  // RRSIG ending before its signer name.
  CHECK_FALSE(rdata_check_wire(RRType::RRSIG, std::vector<std::uint8_t>(18, 0)));
}

TEST_CASE("base32hex (RFC 4648 §7): round trips, either case, no padding, spare bits zero") {
  CHECK(base32hex_encode(std::vector<std::uint8_t>{'f', 'o', 'o'}) == "cpnmu");
  CHECK(base32hex_decode("CPNMU") == std::vector<std::uint8_t>{'f', 'o', 'o'});
  CHECK(base32hex_encode(std::vector<std::uint8_t>{}) == "");
  CHECK_FALSE(base32hex_decode("cpnmv"));   // spare bits not zero
  CHECK_FALSE(base32hex_decode("cpnmu="));  // no padding in NSEC3
  CHECK_FALSE(base32hex_decode("w"));
  for (std::size_t n = 0; n < 12; ++n) {
    std::vector<std::uint8_t> data(n);
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(i * 37 + 5);
    CHECK(base32hex_decode(base32hex_encode(data)) == data);
  }
}
