// Specification of whole responses on the wire: header flags, compression, EDNS, truncation.
#include "zones/responder.hpp"

#include <vector>

#include "tests/zones/answer_fixture.hpp"
#include "zones/alias_table.hpp"
#include "zones/message_decoder.hpp"
#include "zones/tsig_signer.hpp"
#include "zones/tsig_verifier.hpp"

using namespace apex;
using namespace apex::test;

namespace {

using Bytes = std::vector<std::uint8_t>;

std::string many_txt() {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "big IN TXT \"record number " + std::to_string(i) + "\"\n";
  return text;
}

struct Fixture {
  ZoneIndexPtr index = ZoneIndex::from_zones({zone_from_text("example.com.", R"(
$TTL 300
@     IN SOA ns1 hostmaster 1 7200 3600 1209600 300
      IN NS ns1
ns1   IN A 192.0.2.1
www   IN A 192.0.2.80
)" + many_txt())});
  AliasTable aliases;
  Responder responder;
  Bytes out = Bytes(kMaxMessageSize);

  Bytes wire_query(const char* name, RRType type, int payload = -1, std::uint8_t version = 0) {
    Bytes b{0xAB, 0xCD, 0x01, 0x00, 0, 1,
            0,    0,    0,    0,    0, payload >= 0 ? std::uint8_t{1} : std::uint8_t{0}};
    auto n = Name::from_text(name);
    b.insert(b.end(), n->wire().begin(), n->wire().end());
    auto t = static_cast<std::uint16_t>(type);
    b.insert(b.end(), {static_cast<std::uint8_t>(t >> 8), static_cast<std::uint8_t>(t), 0, 1});
    if (payload >= 0)
      b.insert(b.end(), {0, 0, 41, static_cast<std::uint8_t>(payload >> 8),
                         static_cast<std::uint8_t>(payload), 0, version, 0, 0, 0, 0});
    return b;
  }
  Bytes respond(const Bytes& request, Transport t = Transport::kUdp) {
    std::size_t n = responder.respond(*index, aliases, request, t, out);
    return Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  }
};

std::uint16_t u16(const Bytes& b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "header: ID and RD copied, QR and AA set, counts right") {
  Bytes r = respond(wire_query("WWW.example.com.", RRType::A));
  REQUIRE(r.size() > 12);
  CHECK(u16(r, 0) == 0xABCD);
  CHECK(u16(r, 2) == (kFlagQR | kFlagAA | kFlagRD));
  CHECK(u16(r, 4) == 1);
  CHECK(u16(r, 6) == 1);
  CHECK(u16(r, 8) == 0);
  CHECK(u16(r, 10) == 0);
  // The question is echoed with its case; the answer owner points at it (RFC 1035 §4.1.4).
  CHECK(r[13] == 'W');
  std::size_t answer = 12 + 17 + 4;
  CHECK(u16(r, answer) == 0xC00C);
  CHECK(r.size() == answer + 2 + 10 + 4);
}

TEST_CASE_FIXTURE(Fixture, "EDNS: OPT in the response offers 1232 octets and version 0") {
  Bytes r = respond(wire_query("www.example.com.", RRType::A, 4096));
  CHECK(u16(r, 10) == 1);
  std::size_t opt = r.size() - 11;
  CHECK(r[opt] == 0);
  CHECK(u16(r, opt + 1) == 41);
  CHECK(u16(r, opt + 3) == 1232);
}

TEST_CASE_FIXTURE(Fixture, "BADVERS: extended RCODE 16 through the OPT record (RFC 6891 §6.1.3)") {
  Bytes r = respond(wire_query("www.example.com.", RRType::A, 1232, 1));
  CHECK((u16(r, 2) & 0xF) == 0);
  std::size_t opt = r.size() - 11;
  CHECK(r[opt + 5] == 1);  // upper 8 bits of the 12-bit RCODE: 16 >> 4
}

TEST_CASE_FIXTURE(Fixture, "FORMERR keeps the ID and sets QR; QR=1 requests are never answered") {
  Bytes bad = wire_query("www.example.com.", RRType::A);
  bad.push_back(7);
  Bytes r = respond(bad);
  CHECK(u16(r, 0) == 0xABCD);
  CHECK((u16(r, 2) & kFlagQR) != 0);
  CHECK((u16(r, 2) & 0xF) == static_cast<int>(Rcode::FormErr));
  Bytes response = wire_query("www.example.com.", RRType::A);
  response[2] |= 0x80;
  CHECK(respond(response).empty());
}

TEST_CASE_FIXTURE(Fixture, "an answer too big for UDP sets TC and carries no partial RRset") {
  Bytes r = respond(wire_query("big.example.com.", RRType::TXT));
  CHECK((u16(r, 2) & kFlagTC) != 0);
  CHECK(u16(r, 6) == 0);
  CHECK(r.size() <= 512);
  Bytes edns = respond(wire_query("big.example.com.", RRType::TXT, 4096));
  CHECK(edns.size() <= 1232);
  Bytes tcp = respond(wire_query("big.example.com.", RRType::TXT), Transport::kTcp);
  CHECK((u16(tcp, 2) & kFlagTC) == 0);
  CHECK(u16(tcp, 6) == 40);
}

TEST_CASE_FIXTURE(Fixture, "REFUSED outside served zones, without AA") {
  Bytes r = respond(wire_query("www.example.org.", RRType::A));
  CHECK(u16(r, 2) == (kFlagQR | kFlagRD | static_cast<int>(Rcode::Refused)));
}

TEST_CASE_FIXTURE(Fixture, "steady-state answering reuses its buffers") {
  Bytes q = wire_query("www.example.com.", RRType::A);
  Bytes first = respond(q);
  for (int i = 0; i < 100; ++i) CHECK(respond(q) == first);
}

namespace {

const char* kZoneHead = R"(
$TTL 300
@     IN SOA ns1 hostmaster 1 7200 3600 1209600 300
      IN NS ns1
      IN MX 10 mail
ns1   IN A 192.0.2.1
mail  IN A 192.0.2.25
)";

std::vector<std::uint8_t> v6(std::uint8_t last) {
  std::vector<std::uint8_t> a(16, 0);
  a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[15] = last;
  return a;
}

// The same zone twice: once with ALIAS records (flattened from a table; served TTL min(ALIAS
// TTL, result TTL) = the result's here), once with the equivalent static records.
struct AliasVersusStatic : Fixture {
  ZoneIndexPtr with_alias = ZoneIndex::from_zones({zone_from_text(
      "example.com.", std::string(kZoneHead) + "@ 600 IN ALIAS lb.cdn.test.\n"
                                               "shop 300 IN ALIAS lb.cdn.test.\n"
                                               "v4 300 IN ALIAS only4.cdn.test.\n")});
  ZoneIndexPtr with_static = ZoneIndex::from_zones(
      {zone_from_text("example.com.", std::string(kZoneHead) + "@ 120 IN A 198.51.100.1\n"
                                                               "@ 120 IN A 198.51.100.2\n"
                                                               "@ 120 IN AAAA 2001:db8::10\n"
                                                               "shop 120 IN A 198.51.100.1\n"
                                                               "shop 120 IN A 198.51.100.2\n"
                                                               "shop 120 IN AAAA 2001:db8::10\n"
                                                               "v4 30 IN A 198.51.100.4\n")});
  AliasTablePtr table = [] {
    std::vector<std::vector<std::uint8_t>> a{{198, 51, 100, 1}, {198, 51, 100, 2}}, aaaa{v6(0x10)},
        one{{198, 51, 100, 4}};
    std::vector<AliasTargetEntry> targets;
    targets.push_back({*Name::from_text("lb.cdn.test."),
                       {AliasFamilyResult::with_addresses(RRType::A, 120, a),
                        AliasFamilyResult::with_addresses(RRType::AAAA, 120, aaaa)}});
    targets.push_back(
        {*Name::from_text("only4.cdn.test."),
         {AliasFamilyResult::with_addresses(RRType::A, 30, one), AliasFamilyResult::no_data()}});
    return *AliasTable::build(std::move(targets));
  }();

  Bytes respond_with(const ZoneIndex& zones, const AliasTable& aliases, const Bytes& request,
                     Transport t) {
    std::size_t n = responder.respond(zones, aliases, request, t, out);
    return Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  }
};

}  // namespace

TEST_CASE_FIXTURE(AliasVersusStatic, "ALIAS answers encode exactly like static records") {
  AliasTable none;
  struct Case {
    const char* name;
    RRType type;
    int payload;
  };
  // The apex and another owner, question case kept, EDNS or not, a NODATA family, and a type
  // the ALIAS does not touch; over UDP and TCP.
  // Not a structured binding: CAPTURE's lambda cannot capture one before clang 16.
  for (const Case& c :
       {Case{"example.com.", RRType::A, -1}, Case{"Example.COM.", RRType::AAAA, 1232},
        Case{"shop.example.com.", RRType::A, -1}, Case{"SHOP.example.com.", RRType::AAAA, 4096},
        Case{"v4.example.com.", RRType::A, -1}, Case{"v4.example.com.", RRType::AAAA, 1232},
        Case{"example.com.", RRType::MX, -1}}) {
    for (Transport t : {Transport::kUdp, Transport::kTcp}) {
      CAPTURE(c.name);
      Bytes q = wire_query(c.name, c.type, c.payload);
      CHECK(respond_with(*with_alias, *table, q, t) == respond_with(*with_static, none, q, t));
    }
  }
}

TEST_CASE_FIXTURE(Fixture, "a TSIG-signed query gets NOTAUTH with an unsigned BADKEY TSIG") {
  Bytes q = wire_query("www.example.com.", RRType::A);
  q[11] = 1;  // ARCOUNT
  // key "k." hmac-sha256., Time Signed, Fudge 300, MAC of 2 octets, Original ID, no error.
  Bytes tsig{1, 'k', 0, 0, 250, 0, 255, 0, 0, 0, 0};
  Bytes rdata{11,   'h',  'm',  'a',  'c',  '-', 's', 'h',  'a',  '2',  '5',  '6', 0, 0, 0, 0x65,
              0x00, 0x00, 0x01, 0x01, 0x2C, 0,   2,   0xAA, 0xBB, 0xAB, 0xCD, 0,   0, 0, 0};
  tsig.push_back(0);
  tsig.push_back(static_cast<std::uint8_t>(rdata.size()));
  tsig.insert(tsig.end(), rdata.begin(), rdata.end());
  q.insert(q.end(), tsig.begin(), tsig.end());
  Bytes r = respond(q);
  CHECK((u16(r, 2) & 0xF) == static_cast<int>(Rcode::NotAuth));
  CHECK(u16(r, 6) == 0);
  REQUIRE(u16(r, 10) == 1);
  // The echoed TSIG: same owner and algorithm, empty MAC, error BADKEY (17).
  std::size_t tsig_at = 12 + 17 + 4;
  CHECK(r[tsig_at] == 1);
  CHECK(u16(r, tsig_at + 3) == 250);
  CHECK(u16(r, r.size() - 4) == static_cast<int>(TsigError::BadKey));
  CHECK(u16(r, r.size() - 6) == 0xABCD);

  Bytes not_last = q;
  not_last[11] = 2;
  not_last.insert(not_last.end(), {0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0});
  CHECK((u16(respond(not_last), 2) & 0xF) == static_cast<int>(Rcode::FormErr));
}

TEST_CASE_FIXTURE(Fixture, "an error TSIG that leaves no room for the question: header, TC") {
  // A 234-octet question and a 233-octet unknown key name: the BADKEY TSIG echoing that name
  // leaves less than the question needs of 512 octets.
  std::string qname, key_name;
  for (int i = 0; i < 9; ++i) qname += std::string(24, 'q') + ".";
  for (int i = 0; i < 9; ++i) key_name += std::string(24, 'k') + ".";
  Bytes q = wire_query((qname + "example.com.").c_str(), RRType::A);
  q[11] = 1;  // ARCOUNT
  auto key = Name::from_text(key_name);
  REQUIRE(key.ok());
  q.insert(q.end(), key->wire().begin(), key->wire().end());
  Bytes rdata{11,   'h',  'm',  'a',  'c',  '-', 's', 'h',  'a',  '2',  '5',  '6', 0, 0, 0, 0x65,
              0x00, 0x00, 0x01, 0x01, 0x2C, 0,   2,   0xAA, 0xBB, 0xAB, 0xCD, 0,   0, 0, 0};
  q.insert(q.end(), {0, 250, 0, 255, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(rdata.size())});
  q.insert(q.end(), rdata.begin(), rdata.end());
  Bytes r = respond(q);
  REQUIRE(r.size() <= 512);
  CHECK((u16(r, 2) & kFlagTC) != 0);
  CHECK((u16(r, 2) & 0xF) == static_cast<int>(Rcode::NotAuth));
  CHECK(u16(r, 4) == 0);  // no question, rather than a cut one
  REQUIRE(u16(r, 10) == 1);
  CHECK(u16(r, r.size() - 4) == static_cast<int>(TsigError::BadKey));
  CHECK(decode_message(r).ok());
  CHECK(u16(respond(q, Transport::kTcp), 4) == 1);  // over TCP the question is there
}

TEST_CASE_FIXTURE(Fixture, "a query signed with a key held is answered and the answer signed") {
  auto key = tsig_key_from_text("xfr-key.", "hmac-sha256", "c2VjcmV0LXNlY3JldC1zZWNyZXQtMTIz");
  REQUIRE(key);
  auto keys = TsigKeyring::create({*key});
  REQUIRE(keys);
  const std::uint64_t now = 1'800'000'000;
  Bytes q = wire_query("www.example.com.", RRType::A);
  q.resize(q.size() + 512);
  const SignedRequest request = sign_request(q, q.size() - 512, *key, now);
  REQUIRE(request.length != 0);
  q.resize(request.length);

  std::size_t n = responder.respond(*index, aliases, q, Transport::kUdp, out, *keys, now + 5);
  Bytes r(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  CHECK((u16(r, 2) & 0xF) == static_cast<int>(Rcode::NoError));
  CHECK(u16(r, 6) == 1);  // the answer
  CHECK(verify_response(r, *key, request.mac, now + 5).valid());

  SUBCASE("the same query past the fudge gets NOTAUTH/BADTIME, signed") {
    n = responder.respond(*index, aliases, q, Transport::kUdp, out, *keys, now + 301);
    Bytes late(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
    CHECK((u16(late, 2) & 0xF) == static_cast<int>(Rcode::NotAuth));
    CHECK(u16(late, 6) == 0);
    CHECK(u16(late, late.size() - 10) == static_cast<int>(TsigError::BadTime));
  }
  SUBCASE("a flipped bit in the signed query gets NOTAUTH/BADSIG and no data") {
    q[q.size() - 30] ^= 1;  // inside the MAC
    n = responder.respond(*index, aliases, q, Transport::kUdp, out, *keys, now);
    Bytes bad(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
    CHECK((u16(bad, 2) & 0xF) == static_cast<int>(Rcode::NotAuth));
    CHECK(u16(bad, 6) == 0);
    CHECK(u16(bad, bad.size() - 4) == static_cast<int>(TsigError::BadSig));
  }
}
