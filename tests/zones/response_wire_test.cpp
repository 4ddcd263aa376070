// Golden wire output: whole responses compared octet by octet with hand-checked layouts
// (RFC 1035 §4.1, §4.1.4 compression, RFC 6891 §6.1.2 OPT), so any change on the wire shows.
#include <string>
#include <vector>

#include "tests/zones/answer_fixture.hpp"
#include "zones/responder.hpp"

using namespace apex;
using namespace apex::test;

namespace {

using Bytes = std::vector<std::uint8_t>;

const char* kZone = R"(
$TTL 300
@      IN SOA ns1 hostmaster 1 7200 3600 1209600 60
       IN NS  ns1
ns1    IN A   192.0.2.1
www    IN A   192.0.2.80
www    IN A   192.0.2.81
sub    IN NS  ns.sub
ns.sub IN A   192.0.2.53
)";

// Hex digits with the spaces that group them for reading taken out.
std::string compact(const std::string& text) {
  std::string digits;
  for (char c : text)
    if (c != ' ') digits += c;
  return digits;
}

Bytes from_hex(const std::string& text) {
  Bytes out;
  const std::string digits = compact(text);
  REQUIRE(digits.size() % 2 == 0);
  for (std::size_t i = 0; i < digits.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  return out;
}

std::string to_hex(const Bytes& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

struct Fixture {
  ZoneIndexPtr index = ZoneIndex::from_zones({zone_from_text("example.", kZone)});
  AliasTable aliases;
  Responder responder;
  Bytes out = Bytes(kMaxMessageSize);

  std::string respond(const std::string& request_hex) {
    Bytes request = from_hex(request_hex);
    std::size_t n = responder.respond(*index, aliases, request, Transport::kUdp, out);
    return to_hex(Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n)));
  }
};

}  // namespace

// Layouts below: one string per field or record, offsets in decimal from the message start.
// A compression pointer is 0b11 then a 14-bit offset (RFC 1035 §4.1.4): c00c = offset 12.

TEST_CASE_FIXTURE(Fixture, "golden: an A answer, owners compressed to the question") {
  const std::string query = "1234 0100 0001 0000 0000 0000 03777777 076578616d706c65 00 0001 0001";
  const std::string response =
      // Header (§4.1.1): ID 1234; 85 = QR, opcode 0, AA, RD copied; 00 = RA 0, RCODE 0;
      // QDCOUNT 1, ANCOUNT 2, NSCOUNT 0, ARCOUNT 0.
      "1234 8500 0001 0002 0000 0000"
      // Question (§4.1.2) at 12, echoed: 3 "www" (12), 7 "example" (16), root (24); A, IN.
      " 03777777 076578616d706c65 00 0001 0001"
      // Answers (§4.1.3): owner = pointer to 12, A, IN, TTL 300, RDLENGTH 4, 192.0.2.80/81.
      " c00c 0001 0001 0000012c 0004 c0000250"
      " c00c 0001 0001 0000012c 0004 c0000251";
  CHECK(respond(query) == compact(response));
}

TEST_CASE_FIXTURE(Fixture, "golden: NXDOMAIN with the SOA") {
  const std::string query = "0002 0000 0001 0000 0000 0000 026e78 076578616d706c65 00 0001 0001";
  const std::string response =
      // Header: 84 = QR, AA (RD was 0); 03 = NXDOMAIN; one question, one authority record.
      "0002 8403 0001 0000 0001 0000"
      // Question at 12: 2 "nx" (12), 7 "example" (15), root (23); A, IN.
      " 026e78 076578616d706c65 00 0001 0001"
      // Authority: owner example. = pointer to 15; SOA, IN; TTL 60 = min(SOA TTL 300,
      // MINIMUM 60) (RFC 2308 §3); RDLENGTH 39:
      " c00f 0006 0001 0000003c 0027"
      // MNAME 3 "ns1" + pointer to 15 (6 octets), RNAME 10 "hostmaster" + pointer to 15
      // (13 octets), SERIAL 1, REFRESH 7200, RETRY 3600, EXPIRE 1209600, MINIMUM 60.
      " 036e7331c00f 0a686f73746d6173746572c00f"
      " 00000001 00001c20 00000e10 00127500 0000003c";
  CHECK(respond(query) == compact(response));
}

TEST_CASE_FIXTURE(Fixture, "golden: a referral with glue") {
  const std::string query =
      "0003 0000 0001 0000 0000 0000 04686f7374 03737562 076578616d706c65 00 0001 0001";
  const std::string response =
      // Header: 80 = QR only (a referral is not authoritative); NSCOUNT 1, ARCOUNT 1.
      "0003 8000 0001 0000 0001 0001"
      // Question at 12: 4 "host" (12), 3 "sub" (17), 7 "example" (21), root (29); A, IN.
      " 04686f7374 03737562 076578616d706c65 00 0001 0001"
      // Authority at 34: owner sub.example. = pointer to 17; NS, IN, TTL 300, RDLENGTH 5;
      // RDATA at 46: 2 "ns" + pointer to 17 (ns.sub.example.).
      " c011 0002 0001 0000012c 0005 026e73c011"
      // Additional: the glue, owner ns.sub.example. = pointer to 46; A, IN, TTL 300,
      // 192.0.2.53.
      " c02e 0001 0001 0000012c 0004 c0000235";
  CHECK(respond(query) == compact(response));
}

TEST_CASE_FIXTURE(Fixture, "golden: EDNS, the OPT record last") {
  const std::string query =
      "0004 0100 0001 0000 0000 0001 03777777 076578616d706c65 00 0001 0001"
      " 00 0029 1000 00 00 0000 0000";
  const std::string response =
      // Header: as the first case, ARCOUNT 1 for the OPT.
      "0004 8500 0001 0002 0000 0001"
      " 03777777 076578616d706c65 00 0001 0001"
      " c00c 0001 0001 0000012c 0004 c0000250"
      " c00c 0001 0001 0000012c 0004 c0000251"
      // OPT (RFC 6891 §6.1.2): root owner, TYPE 41, CLASS = payload offered 1232 (not the
      // client's 4096); TTL = extended RCODE 0, VERSION 0, DO 0, Z 0; no options.
      " 00 0029 04d0 00 00 0000 0000";
  CHECK(respond(query) == compact(response));
}
