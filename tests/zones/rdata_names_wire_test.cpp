// Golden wire output for the names inside RDATA: whole responses compared octet by octet, so
// it shows which names are compressed (RFC 1035 §4.1.4: the RFC 1035 types NS, CNAME, SOA,
// PTR, MX) and which are never (RFC 3597 §4, RFC 2782 SRV, RFC 3403 NAPTR).
#include <string>
#include <tuple>
#include <vector>

#include "tests/zones/answer_fixture.hpp"
#include "zones/message_decoder.hpp"
#include "zones/responder.hpp"

using namespace apex;
using namespace apex::test;

namespace {

using Bytes = std::vector<std::uint8_t>;

const char* kZone = R"(
$TTL 300
@         IN SOA   ns1 hostmaster 1 7200 3600 1209600 60
          IN NS    ns1
          IN MX    10 mail
ns1       IN A     192.0.2.1
mail      IN A     192.0.2.25
www       IN CNAME web
web       IN A     192.0.2.80
_sip._udp IN SRV   0 5 5060 sip
sip       IN A     192.0.2.50
1         IN PTR   host
tel       IN NAPTR 100 10 "U" "E2U+sip" "" sip
)";

std::string to_hex(const Bytes& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

std::string compact(const std::string& text) {
  std::string digits;
  for (char c : text)
    if (c != ' ') digits += c;
  return digits;
}

struct Fixture {
  ZoneIndexPtr index = ZoneIndex::from_zones({zone_from_text("example.", kZone)});
  AliasTable aliases;
  Responder responder;
  Bytes out = Bytes(kMaxMessageSize);
  std::size_t last_size = 0;

  // A query with ID 0, no flags, one question of class IN.
  std::string respond(const std::string& qname, RRType qtype) {
    Bytes request = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    auto name = Name::from_text(qname);
    REQUIRE(name.ok());
    request.insert(request.end(), name->wire().begin(), name->wire().end());
    const auto type = static_cast<std::uint16_t>(qtype);
    request.insert(request.end(),
                   {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type), 0, 1});
    last_size = responder.respond(*index, aliases, request, Transport::kUdp, out);
    return to_hex(Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(last_size)));
  }
};

}  // namespace

// Layouts below: one string per field or record, offsets in decimal from the message start.
// Every response starts with ID 0, 84 = QR and AA, 00 = RCODE 0, then the four counts. A
// compression pointer is 0b11 then a 14-bit offset (RFC 1035 §4.1.4): c00c = offset 12.

TEST_CASE_FIXTURE(Fixture, "golden: NS, its RDATA name compressed, the glue pointing into it") {
  const std::string response =
      "0000 8400 0001 0001 0000 0001"
      // Question at 12: 7 "example" (12), root (20); NS, IN.
      " 076578616d706c65 00 0002 0001"
      // Answer at 25: owner = pointer to 12, NS, IN, TTL 300, RDLENGTH 6; RDATA at 37:
      // 3 "ns1" + pointer to 12.
      " c00c 0002 0001 0000012c 0006 036e7331c00c"
      // Additional (RFC 1035 §3.3.11): ns1.example. = pointer to 37; A 192.0.2.1.
      " c025 0001 0001 0000012c 0004 c0000201";
  CHECK(respond("example.", RRType::NS) == compact(response));
}

TEST_CASE_FIXTURE(Fixture, "golden: MX, the exchange compressed after the preference") {
  const std::string response =
      "0000 8400 0001 0001 0000 0001"
      " 076578616d706c65 00 000f 0001"
      // Answer at 25, RDLENGTH 9; RDATA at 37: preference 10, then at 39: 4 "mail" + pointer
      // to 12.
      " c00c 000f 0001 0000012c 0009 000a 046d61696cc00c"
      // Additional (RFC 1035 §3.3.9): mail.example. = pointer to 39; A 192.0.2.25.
      " c027 0001 0001 0000012c 0004 c0000219";
  CHECK(respond("example.", RRType::MX) == compact(response));
}

TEST_CASE_FIXTURE(Fixture, "golden: SOA, both names compressed, the counters as they are") {
  const std::string response =
      "0000 8400 0001 0001 0000 0000"
      " 076578616d706c65 00 0006 0001"
      // Answer at 25, RDLENGTH 39: MNAME 3 "ns1" + pointer to 12 (6 octets), RNAME
      // 10 "hostmaster" + pointer to 12 (13 octets), SERIAL 1, REFRESH 7200, RETRY 3600,
      // EXPIRE 1209600, MINIMUM 60.
      " c00c 0006 0001 0000012c 0027 036e7331c00c 0a686f73746d6173746572c00c"
      " 00000001 00001c20 00000e10 00127500 0000003c";
  CHECK(respond("example.", RRType::SOA) == compact(response));
}

TEST_CASE_FIXTURE(Fixture, "golden: SRV, the target never compressed (RFC 2782)") {
  const std::string response =
      "0000 8400 0001 0001 0000 0001"
      // Question at 12: 4 "_sip" (12), 4 "_udp" (17), 7 "example" (22), root (30); SRV, IN.
      " 045f736970 045f756470 076578616d706c65 00 0021 0001"
      // Answer at 35, RDLENGTH 19: priority 0, weight 5, port 5060, then the target
      // sip.example. in full although example. is at 22.
      " c00c 0021 0001 0000012c 0013 0000 0005 13c4 03736970076578616d706c6500"
      // Additional (RFC 2782): sip.example. = 3 "sip" + pointer to 22; A 192.0.2.50.
      " 03736970c016 0001 0001 0000012c 0004 c0000232";
  CHECK(respond("_sip._udp.example.", RRType::SRV) == compact(response));
}

TEST_CASE_FIXTURE(Fixture, "golden: CNAME, the target compressed and its owner pointing into it") {
  const std::string response =
      "0000 8400 0001 0002 0000 0000"
      // Question at 12: 3 "www" (12), 7 "example" (16), root (24); A, IN.
      " 03777777 076578616d706c65 00 0001 0001"
      // Answer at 29, RDLENGTH 6; RDATA at 41: 3 "web" + pointer to 16.
      " c00c 0005 0001 0000012c 0006 03776562c010"
      // The chain's A (RFC 1034 §4.3.2): web.example. = pointer to 41; 192.0.2.80.
      " c029 0001 0001 0000012c 0004 c0000250";
  CHECK(respond("www.example.", RRType::A) == compact(response));
}

TEST_CASE_FIXTURE(Fixture, "golden: PTR, the target compressed") {
  const std::string response =
      "0000 8400 0001 0001 0000 0000"
      // Question at 12: 1 "1" (12), 7 "example" (14), root (22); PTR, IN.
      " 0131 076578616d706c65 00 000c 0001"
      // Answer at 27, RDLENGTH 7: 4 "host" + pointer to 14.
      " c00c 000c 0001 0000012c 0007 04686f7374c00e";
  CHECK(respond("1.example.", RRType::PTR) == compact(response));
}

TEST_CASE_FIXTURE(Fixture, "golden: NAPTR, the replacement never compressed (RFC 3597 §4)") {
  const std::string response =
      "0000 8400 0001 0001 0000 0000"
      // Question at 12: 3 "tel" (12), 7 "example" (16), root (24); NAPTR, IN.
      " 0374656c 076578616d706c65 00 0023 0001"
      // Answer at 29, RDLENGTH 28: order 100, preference 10, flags 1 "U", services
      // 7 "E2U+sip", regexp empty, replacement sip.example. in full.
      " c00c 0023 0001 0000012c 001c 0064 000a 0155 074532552b736970 00"
      " 03736970076578616d706c6500";
  CHECK(respond("tel.example.", RRType::NAPTR) == compact(response));
}

TEST_CASE_FIXTURE(Fixture, "what the encoder compresses the decoder reads back as zone RDATA") {
  for (const auto& [qname, qtype, text] : std::vector<std::tuple<std::string, RRType, std::string>>{
           {"example.", RRType::NS, "ns1.example."},
           {"example.", RRType::MX, "10 mail.example."},
           {"example.", RRType::SOA, "ns1.example. hostmaster.example. 1 7200 3600 1209600 60"},
           {"_sip._udp.example.", RRType::SRV, "0 5 5060 sip.example."},
           {"1.example.", RRType::PTR, "host.example."},
           {"tel.example.", RRType::NAPTR, "100 10 \"U\" \"E2U+sip\" \"\" sip.example."}}) {
    CAPTURE(qname);
    respond(qname, qtype);
    auto tokens = rdata_tokenize(text);
    REQUIRE(tokens.ok());
    auto expected = rdata_from_text(qtype, *tokens, *Name::from_text("."));
    REQUIRE_MESSAGE(expected.ok(), expected.error());
    auto message = decode_message(std::span(out.data(), out.size()).first(last_size));
    REQUIRE_MESSAGE(message.ok(), message.error());
    REQUIRE(message->answer.size() == 1);
    CHECK(message->answer[0].rdata == *expected);
  }
}
