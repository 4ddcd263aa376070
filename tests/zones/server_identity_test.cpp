// Specification of what the server tells of itself: CH TXT id.server / hostname.bind and
// version.bind / version.server (RFC 4892), and NSID in the OPT when asked (RFC 5001).
#include "zones/server_identity.hpp"

#include <doctest/doctest.h>

#include "tests/zones/answer_fixture.hpp"
#include "zones/message_decoder.hpp"
#include "zones/responder.hpp"

using namespace apex;

namespace {

using Bytes = std::vector<std::uint8_t>;

// A query for name/type/class, with an OPT asking for NSID when nsid is set.
Bytes query(const char* name, RRType type, RRClass rrclass, bool nsid = false) {
  Bytes b{0x12, 0x34, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(nsid ? 1 : 0)};
  auto n = Name::from_text(name).value();
  b.insert(b.end(), n.wire().begin(), n.wire().end());
  const auto t = static_cast<std::uint16_t>(type);
  const auto c = static_cast<std::uint16_t>(rrclass);
  b.insert(b.end(), {static_cast<std::uint8_t>(t >> 8), static_cast<std::uint8_t>(t),
                     static_cast<std::uint8_t>(c >> 8), static_cast<std::uint8_t>(c)});
  if (nsid) b.insert(b.end(), {0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 4, 0, 3, 0, 0});
  return b;
}

struct Server {
  explicit Server(ServerIdentity identity)
      : responder(kDefaultMaxUdpPayload, std::move(identity)) {}
  ZoneIndexPtr index = ZoneIndex::from_zones({test::zone_from_text(
      "example.com.", "@ 300 IN SOA ns1 h 1 2 3 4 5\n@ 300 IN NS ns1\nns1 300 IN A 192.0.2.1\n")});
  AliasTable aliases;
  Responder responder;
  Bytes out = Bytes(kMaxMessageSize);

  DecodedMessage ask(const Bytes& request) {
    const std::size_t n = responder.respond(*index, aliases, request, Transport::kUdp, out);
    auto m = decode_message({out.data(), n});
    REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error()));
    return *m;
  }
};

std::string txt_of(const DecodedMessage& m) {
  REQUIRE(m.answer.size() == 1);
  const auto& rdata = m.answer[0].rdata;
  REQUIRE(!rdata.empty());
  REQUIRE(rdata[0] + 1u == rdata.size());
  return std::string(rdata.begin() + 1, rdata.end());
}

}  // namespace

TEST_CASE("the identity and version are told in class CH, as asked, and nothing else") {
  Server s(ServerIdentity::make("ns1.fra.hoster.example", "apexdns 1.2.3").value());
  for (const char* name : {"id.server.", "HOSTNAME.bind."}) {
    auto m = s.ask(query(name, RRType::TXT, RRClass::CH));
    CHECK(m.rcode() == Rcode::NoError);
    CHECK((m.flags & kFlagAA) != 0);
    CHECK(txt_of(m) == "ns1.fra.hoster.example");
    CHECK(m.answer[0].rrclass == RRClass::CH);
    CHECK(m.answer[0].owner == Name::from_text(name).value());
  }
  for (const char* name : {"version.bind.", "version.server."})
    CHECK(txt_of(s.ask(query(name, RRType::TXT, RRClass::CH))) == "apexdns 1.2.3");
  auto other_type = s.ask(query("id.server.", RRType::A, RRClass::CH));
  CHECK(other_type.rcode() == Rcode::NoError);  // NODATA
  CHECK(other_type.answer.empty());
  CHECK(s.ask(query("authors.bind.", RRType::TXT, RRClass::CH)).rcode() == Rcode::Refused);
  CHECK(s.ask(query("id.server.", RRType::TXT, RRClass::IN)).rcode() == Rcode::Refused);
}

TEST_CASE("what is not configured is not told: REFUSED, no NSID") {
  Server s(ServerIdentity::make("", "").value());
  CHECK(s.ask(query("id.server.", RRType::TXT, RRClass::CH)).rcode() == Rcode::Refused);
  CHECK(s.ask(query("version.bind.", RRType::TXT, RRClass::CH)).rcode() == Rcode::Refused);
  auto m = s.ask(query("example.com.", RRType::SOA, RRClass::IN, true));
  REQUIRE(m.opt);
  CHECK(m.opt->options.empty());
}

TEST_CASE("NSID is in the OPT of every answer that asked for it, and only then") {
  Server s(ServerIdentity::make("node-7", "").value());
  auto asked = s.ask(query("example.com.", RRType::SOA, RRClass::IN, true));
  REQUIRE(asked.opt);
  CHECK(asked.opt->options == Bytes{0, 3, 0, 6, 'n', 'o', 'd', 'e', '-', '7'});
  CHECK(asked.answer.size() == 1);
  auto refused = s.ask(query("elsewhere.test.", RRType::A, RRClass::IN, true));
  CHECK(refused.rcode() == Rcode::Refused);
  REQUIRE(refused.opt);
  CHECK(refused.opt->options.size() == 10);
  auto plain = s.ask(query("example.com.", RRType::SOA, RRClass::IN));
  CHECK_FALSE(plain.opt);
}

TEST_CASE("an identity or version longer than one TXT string is refused") {
  CHECK_FALSE(ServerIdentity::make(std::string(256, 'x'), "").ok());
  CHECK_FALSE(ServerIdentity::make("", std::string(256, 'x')).ok());
  CHECK(ServerIdentity::make(std::string(255, 'x'), "").ok());
}
