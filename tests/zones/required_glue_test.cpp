// Specification of glue in referrals over UDP (RFC 9471): in-domain glue is required and sets
// TC when it does not fit; sibling glue and other addresses are optional and dropped without.
#include <string>
#include <vector>

#include "tests/zones/answer_fixture.hpp"
#include "zones/message_decoder.hpp"
#include "zones/responder.hpp"

using namespace apex;
using namespace apex::test;

namespace {

using Bytes = std::vector<std::uint8_t>;

// Enough name servers that their addresses (16 A of 16 octets and 16 AAAA of 28 octets on
// the wire, compressed) cannot fit a 512-octet response next to the NS RRset, while the
// whole referral fits 1232.
constexpr int kServers = 16;

std::string two_digits(int i) {
  return std::string(1, static_cast<char>('0' + i / 10)) + static_cast<char>('0' + i % 10);
}

// "owner NS nsXX<suffix>" for every server, plus their A and AAAA when with_addresses.
std::string servers(const std::string& owner, const std::string& suffix, bool with_addresses) {
  std::string text;
  for (int i = 0; i < kServers; ++i) text += owner + " IN NS ns" + two_digits(i) + suffix + "\n";
  if (!with_addresses) return text;
  for (int i = 0; i < kServers; ++i) {
    text += "ns" + two_digits(i) + suffix + " IN A 192.0.2." + std::to_string(100 + i) + "\n";
    text += "ns" + two_digits(i) + suffix + " IN AAAA 2001:db8::" + std::to_string(100 + i) + "\n";
  }
  return text;
}

std::string zone_text() {
  return std::string(R"(
$TTL 3600
@   IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    IN NS ns1
ns1 IN A 192.0.2.1
)") +
         // big: every name server below the cut, all glue in-domain (required).
         servers("big", ".big", true) +
         // other: a delegation whose glue is sibling glue for sib and mixed.
         servers("other", ".other", true) + servers("sib", ".other", false) +
         // parentns: name servers in the parent's own authoritative data.
         servers("parentns", "", true) +
         // mixed: sibling servers first, then one in-domain server last.
         servers("mixed", ".other", false) + "mixed IN NS ns.mixed\nns.mixed IN A 192.0.2.200\n";
}

struct Fixture {
  ZoneIndexPtr index = ZoneIndex::from_zones({zone_from_text("example.com.", zone_text())});
  AliasTable aliases;
  Responder responder;
  Bytes out = Bytes(kMaxMessageSize);

  // A query without EDNS (so UDP responses are limited to 512 octets, RFC 1035 §4.2.1), or
  // with an OPT offering payload.
  DecodedMessage ask(const std::string& name, Transport transport, int payload = -1) {
    Bytes q{0x12, 0x34, 0x00, 0x00, 0, 1,
            0,    0,    0,    0,    0, payload >= 0 ? std::uint8_t{1} : std::uint8_t{0}};
    auto n = Name::from_text(name);
    REQUIRE(n.ok());
    q.insert(q.end(), n->wire().begin(), n->wire().end());
    q.insert(q.end(), {0, 1, 0, 1});  // A, IN
    if (payload >= 0)
      q.insert(q.end(), {0, 0, 41, static_cast<std::uint8_t>(payload >> 8),
                         static_cast<std::uint8_t>(payload), 0, 0, 0, 0, 0, 0});
    std::size_t size = responder.respond(*index, aliases, q, transport, out);
    REQUIRE(size > 0);
    if (transport == Transport::kUdp)
      CHECK(size <= (payload >= 0 ? static_cast<std::size_t>(payload) : 512u));
    auto decoded = decode_message({out.data(), size});
    REQUIRE(decoded.ok());
    return *decoded;
  }
};

std::size_t glue_of(const DecodedMessage& m, const std::string& suffix) {
  std::size_t n = 0;
  auto zone = Name::from_text(suffix);
  for (const Record& r : m.additional)
    if (r.owner.is_subdomain_of(*zone)) ++n;
  return n;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "in-domain glue that does not fit 512 octets sets TC (RFC 9471 §3.1)") {
  DecodedMessage udp = ask("host.big.example.com.", Transport::kUdp);
  CHECK(udp.truncated());
  CHECK(udp.rcode() == Rcode::NoError);
  // No partial referral: a resolver retries over TCP rather than using part of it.
  CHECK(udp.authority.empty());
  CHECK(udp.additional.empty());

  DecodedMessage tcp = ask("host.big.example.com.", Transport::kTcp);
  CHECK_FALSE(tcp.truncated());
  CHECK(tcp.authority.size() == kServers);
  CHECK(glue_of(tcp, "big.example.com.") == 2 * kServers);
}

TEST_CASE_FIXTURE(Fixture, "in-domain glue that fits the EDNS payload is sent whole, without TC") {
  DecodedMessage m = ask("host.big.example.com.", Transport::kUdp, 1232);
  CHECK_FALSE(m.truncated());
  CHECK(m.authority.size() == kServers);
  CHECK(glue_of(m, "big.example.com.") == 2 * kServers);
}

TEST_CASE_FIXTURE(Fixture, "optional addresses that do not fit are dropped without TC") {
  // Sibling glue (RFC 9471 §3.2) and addresses from the parent's own data alike.
  for (const char* name : {"host.sib.example.com.", "host.parentns.example.com."}) {
    CAPTURE(name);
    DecodedMessage m = ask(name, Transport::kUdp);
    CHECK_FALSE(m.truncated());
    CHECK(m.authority.size() == kServers);
    CHECK_FALSE(m.additional.empty());
    CHECK(m.additional.size() < 2 * kServers);
    DecodedMessage tcp = ask(name, Transport::kTcp);
    CHECK(tcp.additional.size() == 2 * kServers);
  }
}

TEST_CASE_FIXTURE(Fixture, "required glue goes first: optional addresses never crowd it out") {
  // The in-domain server is named last; its glue still fits and is sent.
  DecodedMessage m = ask("host.mixed.example.com.", Transport::kUdp);
  CHECK_FALSE(m.truncated());
  CHECK(m.authority.size() == kServers + 1);
  REQUIRE_FALSE(m.additional.empty());
  CHECK(m.additional.front().owner == *Name::from_text("ns.mixed.example.com."));
  CHECK(m.additional.size() < 2 * kServers + 1);
}
