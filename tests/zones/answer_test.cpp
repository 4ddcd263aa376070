// Specification of the answer engine (RFC 1034 §4.3.2, RFC 2308, RFC 4592, RFC 8482).
#include "zones/answer.hpp"

#include "tests/zones/answer_fixture.hpp"
#include "tests/zones/sample_aliases.hpp"
#include "zones/alias_table.hpp"

using namespace apex;
using namespace apex::test;

namespace {

const char* kZone = R"(
$TTL 3600
@        IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
         IN NS  ns1
         IN NS  ns.other.test.
         IN MX  10 mail
ns1      IN A   192.0.2.1
mail     IN A   192.0.2.2
mail     IN AAAA 2001:db8::2
www      IN CNAME web
web      IN A   192.0.2.3
chain1   IN CNAME chain2
chain2   IN CNAME web
dangling IN CNAME nowhere
outside  IN CNAME www.other.test.
loop1    IN CNAME loop2
loop2    IN CNAME loop1
a.b.c    IN TXT "deep"
*.wild   IN A   192.0.2.9
*.wild   IN MX  5 mail
*.cn     IN CNAME web
_sip._tcp IN SRV 0 5 5060 mail
sub      IN NS  ns1.sub
sub      IN NS  ns1
sub      IN DS  12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns1.sub  IN A   192.0.2.53
)";

struct Fixture {
  ZoneIndexPtr index = ZoneIndex::from_zones({zone_from_text("example.com.", kZone)});
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "an existing RRset is answered authoritatively") {
  auto r = ask(*index, "ns1.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.aa);
  CHECK(r.answer == Lines{"ns1.example.com. 3600 A 192.0.2.1"});
  CHECK(r.authority.empty());
  CHECK(r.additional.empty());
}

TEST_CASE_FIXTURE(Fixture, "names match case-insensitively and keep the question's case") {
  auto r = ask(*index, "NS1.Example.COM.", RRType::A);
  CHECK(r.answer == Lines{"NS1.Example.COM. 3600 A 192.0.2.1"});
}

TEST_CASE_FIXTURE(Fixture, "MX answers carry the exchange's addresses as additional data") {
  auto r = ask(*index, "example.com.", RRType::MX);
  CHECK(r.answer == Lines{"example.com. 3600 MX 10 mail.example.com."});
  CHECK(r.additional ==
        Lines{"mail.example.com. 3600 A 192.0.2.2", "mail.example.com. 3600 AAAA 2001:db8::2"});
}

TEST_CASE_FIXTURE(Fixture, "SRV answers carry the target's addresses") {
  auto r = ask(*index, "_sip._tcp.example.com.", RRType::SRV);
  CHECK(r.answer.size() == 1);
  CHECK(r.additional.size() == 2);
}

TEST_CASE_FIXTURE(Fixture, "NODATA: empty answer, SOA with the negative TTL (RFC 2308 §5)") {
  auto r = ask(*index, "ns1.example.com.", RRType::AAAA);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.aa);
  CHECK(r.answer.empty());
  CHECK(r.authority ==
        Lines{"example.com. 300 SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 "
              "3600 1209600 300"});
}

TEST_CASE_FIXTURE(Fixture, "NXDOMAIN carries the SOA") {
  auto r = ask(*index, "nope.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NXDomain);
  CHECK(r.aa);
  CHECK(r.authority.size() == 1);
}

TEST_CASE_FIXTURE(Fixture, "an empty non-terminal exists: NODATA, not NXDOMAIN") {
  auto r = ask(*index, "b.c.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer.empty());
  CHECK(r.authority.size() == 1);
}

TEST_CASE_FIXTURE(Fixture, "an in-zone CNAME chain is followed to the end") {
  auto r = ask(*index, "chain1.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer == Lines{"chain1.example.com. 3600 CNAME chain2.example.com.",
                          "chain2.example.com. 3600 CNAME web.example.com.",
                          "web.example.com. 3600 A 192.0.2.3"});
}

TEST_CASE_FIXTURE(Fixture, "a CNAME query returns the CNAME itself") {
  auto r = ask(*index, "www.example.com.", RRType::CNAME);
  CHECK(r.answer == Lines{"www.example.com. 3600 CNAME web.example.com."});
}

TEST_CASE_FIXTURE(Fixture, "a dangling in-zone CNAME ends in NXDOMAIN (RFC 6604 §2)") {
  auto r = ask(*index, "dangling.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NXDomain);
  CHECK(r.answer == Lines{"dangling.example.com. 3600 CNAME nowhere.example.com."});
  CHECK(r.authority.size() == 1);
}

TEST_CASE_FIXTURE(Fixture, "a CNAME leaving the zone is not followed") {
  auto r = ask(*index, "outside.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer == Lines{"outside.example.com. 3600 CNAME www.other.test."});
  CHECK(r.authority.empty());
}

TEST_CASE_FIXTURE(Fixture, "a CNAME loop stops without repeating records") {
  auto r = ask(*index, "loop1.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer == Lines{"loop1.example.com. 3600 CNAME loop2.example.com.",
                          "loop2.example.com. 3600 CNAME loop1.example.com."});
}

namespace {

const char* kChainZoneHead = R"(
$TTL 3600
@   IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    IN NS ns1
ns1 IN A 192.0.2.1
web IN A 192.0.2.3
)";

// A zone with a chain of `links` CNAMEs: prefix0 → prefix1 → … → end.
std::string cname_chain(const std::string& prefix, std::size_t links, const std::string& end) {
  std::string text = kChainZoneHead;
  for (std::size_t i = 0; i < links; ++i) {
    std::string next = i + 1 < links ? prefix + std::to_string(i + 1) : end;
    text += prefix + std::to_string(i) + " IN CNAME " + next + "\n";
  }
  return text;
}

Lines chain_lines(const std::string& prefix, std::size_t links, const std::string& end) {
  Lines lines;
  for (std::size_t i = 0; i < links; ++i) {
    std::string next = i + 1 < links ? prefix + std::to_string(i + 1) : end;
    lines.push_back(prefix + std::to_string(i) + ".example.com. 3600 CNAME " + next +
                    ".example.com.");
  }
  return lines;
}

ZoneIndexPtr chain_zone(const std::string& text) {
  return ZoneIndex::from_zones({zone_from_text("example.com.", text)});
}

}  // namespace

TEST_CASE("a chain of kMaxCnameChain links is followed to its end") {
  auto index = chain_zone(cname_chain("link", kMaxCnameChain, "web"));
  auto r = ask(*index, "link0.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.aa);
  Lines expected = chain_lines("link", kMaxCnameChain, "web");
  expected.push_back("web.example.com. 3600 A 192.0.2.3");
  CHECK(r.answer == expected);
  CHECK(r.authority.empty());
}

TEST_CASE("one link more: the CNAMEs so far, NOERROR, and the resolver follows the rest") {
  // The question's own CNAME plus kMaxCnameChain followed names each contribute a CNAME;
  // the last target is not looked up, so even a target that does not exist leaves the
  // answer NOERROR without a SOA (the rcode speaks for the last name looked up, RFC 6604 §2).
  for (const char* end : {"web", "nowhere"}) {
    CAPTURE(end);
    auto index = chain_zone(cname_chain("link", kMaxCnameChain + 1, end));
    auto r = ask(*index, "link0.example.com.", RRType::A);
    CHECK(r.rcode == Rcode::NoError);
    CHECK(r.aa);
    CHECK(r.answer == chain_lines("link", kMaxCnameChain + 1, end));
    CHECK(r.authority.empty());
    CHECK(r.additional.empty());
  }
}

TEST_CASE("a chain of kMaxCnameChain links ending nowhere is NXDOMAIN with the SOA") {
  auto index = chain_zone(cname_chain("link", kMaxCnameChain, "nowhere"));
  auto r = ask(*index, "link0.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NXDomain);
  CHECK(r.answer == chain_lines("link", kMaxCnameChain, "nowhere"));
  CHECK(r.authority == Lines{"example.com. 300 SOA ns1.example.com. hostmaster.example.com. 1 "
                             "7200 3600 1209600 300"});
}

TEST_CASE("a loop entered from outside stops at the first repeated name") {
  // entry → b → c → b: each name's CNAME once, NOERROR, no SOA (the loop is not NODATA).
  auto index = chain_zone(std::string(kChainZoneHead) +
                          "entry IN CNAME b\nb IN CNAME c\nc IN CNAME b\nself IN CNAME self\n");
  auto r = ask(*index, "entry.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer == Lines{"entry.example.com. 3600 CNAME b.example.com.",
                          "b.example.com. 3600 CNAME c.example.com.",
                          "c.example.com. 3600 CNAME b.example.com."});
  CHECK(r.authority.empty());
  auto self = ask(*index, "SELF.example.com.", RRType::A);
  CHECK(self.rcode == Rcode::NoError);
  CHECK(self.answer == Lines{"SELF.example.com. 3600 CNAME self.example.com."});
}

TEST_CASE_FIXTURE(Fixture, "wildcards synthesize records owned by the question (RFC 4592)") {
  auto r = ask(*index, "Host.Wild.example.com.", RRType::A);
  CHECK(r.aa);
  CHECK(r.answer == Lines{"Host.Wild.example.com. 3600 A 192.0.2.9"});
  auto deeper = ask(*index, "x.y.wild.example.com.", RRType::A);
  CHECK(deeper.answer == Lines{"x.y.wild.example.com. 3600 A 192.0.2.9"});
}

TEST_CASE_FIXTURE(Fixture, "a wildcard without the type is NODATA") {
  auto r = ask(*index, "host.wild.example.com.", RRType::TXT);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer.empty());
  CHECK(r.authority.size() == 1);
}

TEST_CASE_FIXTURE(Fixture, "the wildcard owner itself matches only literally") {
  auto r = ask(*index, "*.wild.example.com.", RRType::A);
  CHECK(r.answer == Lines{"*.wild.example.com. 3600 A 192.0.2.9"});
}

TEST_CASE_FIXTURE(Fixture, "a wildcard CNAME is synthesized and followed") {
  auto r = ask(*index, "any.cn.example.com.", RRType::A);
  CHECK(r.answer == Lines{"any.cn.example.com. 3600 CNAME web.example.com.",
                          "web.example.com. 3600 A 192.0.2.3"});
}

TEST_CASE_FIXTURE(Fixture, "names below a delegation get a referral with glue, not AA") {
  auto r = ask(*index, "host.sub.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK_FALSE(r.aa);
  CHECK(r.answer.empty());
  CHECK(r.authority == Lines{"sub.example.com. 3600 NS ns1.sub.example.com.",
                             "sub.example.com. 3600 NS ns1.example.com."});
  CHECK(r.additional ==
        Lines{"ns1.sub.example.com. 3600 A 192.0.2.53", "ns1.example.com. 3600 A 192.0.2.1"});
}

TEST_CASE_FIXTURE(Fixture, "glue itself is not served authoritatively") {
  auto r = ask(*index, "ns1.sub.example.com.", RRType::A);
  CHECK_FALSE(r.aa);
  CHECK(r.authority.size() == 2);
}

TEST_CASE_FIXTURE(Fixture, "DS at the delegation point is answered by the parent (RFC 4035)") {
  auto r = ask(*index, "sub.example.com.", RRType::DS);
  CHECK(r.aa);
  CHECK(r.answer.size() == 1);
  auto nodata = ask(*index, "sub.example.com.", RRType::TXT);
  CHECK_FALSE(nodata.aa);  // any other type at the cut is a referral
}

TEST_CASE_FIXTURE(Fixture, "ANY over UDP returns one RRset, over TCP all (RFC 8482 §4.2)") {
  auto udp = ask(*index, "mail.example.com.", RRType::ANY, Transport::kUdp);
  CHECK(udp.answer.size() == 1);
  auto tcp = ask(*index, "mail.example.com.", RRType::ANY, Transport::kTcp);
  CHECK(tcp.answer ==
        Lines{"mail.example.com. 3600 A 192.0.2.2", "mail.example.com. 3600 AAAA 2001:db8::2"});
}

TEST_CASE_FIXTURE(Fixture, "names outside every served zone are REFUSED") {
  auto r = ask(*index, "www.example.org.", RRType::A);
  CHECK(r.rcode == Rcode::Refused);
  CHECK_FALSE(r.aa);
}

TEST_CASE_FIXTURE(Fixture, "zone transfers are refused; other meta types are not implemented") {
  CHECK(ask(*index, "example.com.", RRType::AXFR).rcode == Rcode::Refused);
  CHECK(ask(*index, "example.com.", static_cast<RRType>(253)).rcode == Rcode::NotImp);
}

TEST_CASE("the most specific zone answers, and DS at a child apex comes from the parent") {
  auto parent = zone_from_text("example.com.", R"(
@ 3600 IN SOA ns1 h 1 2 3 4 60
@ 3600 IN NS ns1
ns1 3600 IN A 192.0.2.1
child 3600 IN NS ns1
child 3600 IN DS 1 13 2 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
)");
  auto child = zone_from_text("child.example.com.", R"(
@ 600 IN SOA ns1.example.com. h 1 2 3 4 60
@ 600 IN NS ns1.example.com.
www 600 IN A 192.0.2.7
)");
  auto index = ZoneIndex::from_zones({parent, child});
  auto www = ask(*index, "www.child.example.com.", RRType::A);
  CHECK(www.aa);
  CHECK(www.answer == Lines{"www.child.example.com. 600 A 192.0.2.7"});
  auto ds = ask(*index, "child.example.com.", RRType::DS);
  CHECK(ds.answer.size() == 1);
  auto soa = ask(*index, "child.example.com.", RRType::SOA);
  CHECK(soa.answer.size() == 1);
  CHECK(soa.answer[0].find("600 SOA") != std::string::npos);
}

// ALIAS (ARCHITECTURE.md §5): A and AAAA at an ALIAS owner come from the flattener's published
// results as if they were static records.
namespace {

const char* kAliasZone = R"(
$TTL 3600
@          IN SOA ns1 hostmaster 1 7200 3600 1209600 300
           IN NS  ns1
           IN MX  10 mail
@      300 IN ALIAS lb.cdn.test.
ns1        IN A   192.0.2.1
mail       IN A   192.0.2.2
shop    60 IN ALIAS LB.cdn.test.
shop       IN TXT "shop"
v4only     IN ALIAS only4.cdn.test.
down       IN ALIAS broken.cdn.test.
backup     IN ALIAS broken.cdn.test.
new        IN ALIAS fresh.cdn.test.
stale      IN ALIAS stale.cdn.test.
*.wild     IN ALIAS lb.cdn.test.
*.wild     IN TXT "wild"
www        IN CNAME @
to-down    IN CNAME down
)";

AliasTablePtr alias_table() {
  auto table = sample_alias_table();
  REQUIRE(table.ok());
  return *table;
}

struct AliasFixture {
  ZoneIndexPtr index = ZoneIndex::from_zones({zone_from_text("example.com.", kAliasZone)});
  AliasTablePtr aliases = alias_table();

  Served ask(const std::string& name, RRType type, Transport t = Transport::kUdp) {
    return test::ask(*index, *aliases, name, type, t);
  }
};

const std::string kAliasSoa =
    "example.com. 300 SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300";

}  // namespace

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: A and AAAA as static records, TTL = min(ALIAS, result)") {
  auto a = ask("example.com.", RRType::A);
  CHECK(a.rcode == Rcode::NoError);
  CHECK(a.aa);
  CHECK(a.answer == Lines{"example.com. 300 A 198.51.100.1", "example.com. 300 A 198.51.100.2"});
  CHECK(a.authority.empty());
  CHECK(a.additional.empty());
  auto aaaa = ask("example.com.", RRType::AAAA);
  CHECK(aaaa.aa);
  CHECK(aaaa.answer == Lines{"example.com. 120 AAAA 2001:db8::10"});
  // The same target, shared: the smaller ALIAS TTL caps it.
  CHECK(ask("shop.example.com.", RRType::A).answer ==
        Lines{"shop.example.com. 60 A 198.51.100.1", "shop.example.com. 60 A 198.51.100.2"});
}

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: the answer owner keeps the question's case") {
  CHECK(ask("SHOP.Example.COM.", RRType::A).answer ==
        Lines{"SHOP.Example.COM. 60 A 198.51.100.1", "SHOP.Example.COM. 60 A 198.51.100.2"});
}

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: a family the target lacks is NODATA with the SOA") {
  auto r = ask("v4only.example.com.", RRType::AAAA);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.aa);
  CHECK(r.answer.empty());
  CHECK(r.authority == Lines{kAliasSoa});
  CHECK(ask("v4only.example.com.", RRType::A).answer ==
        Lines{"v4only.example.com. 30 A 198.51.100.4"});
}

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: failed (nothing fresh, stale or fallback) is SERVFAIL") {
  auto r = ask("down.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::ServFail);
  CHECK_FALSE(r.aa);
  CHECK(r.answer.empty());
  CHECK(r.authority.empty());
  CHECK(r.additional.empty());
  CHECK(ask("down.example.com.", RRType::AAAA).rcode == Rcode::ServFail);
}

TEST_CASE_FIXTURE(AliasFixture,
                  "ALIAS: not yet resolved (pending) is SERVFAIL; queries never wait") {
  auto r = ask("new.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::ServFail);
  CHECK(r.answer.empty());
  // Without any table at all, the same.
  CHECK(test::ask(*index, "example.com.", RRType::A).rcode == Rcode::ServFail);
}

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: stale addresses are served with the stale TTL") {
  auto r = ask("stale.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer == Lines{"stale.example.com. 30 A 198.51.100.5"});
  CHECK(ask("stale.example.com.", RRType::AAAA).rcode == Rcode::ServFail);
}

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: an alias's own result is preferred over its target's") {
  auto r = ask("Backup.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer == Lines{"Backup.example.com. 3600 A 203.0.113.9"});
  CHECK(ask("backup.example.com.", RRType::AAAA).authority == Lines{kAliasSoa});
  // The other alias of the same target still fails.
  CHECK(ask("down.example.com.", RRType::A).rcode == Rcode::ServFail);
}

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: a wildcard ALIAS is synthesized for the query name") {
  auto r = ask("Any.wild.example.com.", RRType::A);
  CHECK(r.aa);
  CHECK(r.answer == Lines{"Any.wild.example.com. 600 A 198.51.100.1",
                          "Any.wild.example.com. 600 A 198.51.100.2"});
  CHECK(ask("x.wild.example.com.", RRType::TXT).answer ==
        Lines{"x.wild.example.com. 3600 TXT \"wild\""});
}

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: a CNAME to an ALIAS owner is followed to its addresses") {
  auto r = ask("www.example.com.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer == Lines{"www.example.com. 3600 CNAME example.com.",
                          "example.com. 300 A 198.51.100.1", "example.com. 300 A 198.51.100.2"});
  // A failing alias at the end of the chain fails the whole answer.
  auto down = ask("to-down.example.com.", RRType::A);
  CHECK(down.rcode == Rcode::ServFail);
  CHECK(down.answer.empty());
}

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: other types at the owner answer as usual") {
  auto mx = ask("example.com.", RRType::MX);
  CHECK(mx.aa);
  CHECK(mx.answer == Lines{"example.com. 3600 MX 10 mail.example.com."});
  CHECK(mx.additional == Lines{"mail.example.com. 3600 A 192.0.2.2"});
  CHECK(ask("shop.example.com.", RRType::TXT).answer ==
        Lines{"shop.example.com. 3600 TXT \"shop\""});
  auto ns = ask("shop.example.com.", RRType::NS);
  CHECK(ns.answer.empty());
  CHECK(ns.authority == Lines{kAliasSoa});
  // Even when the alias is failing: only A and AAAA depend on it.
  CHECK(ask("down.example.com.", RRType::TXT).rcode == Rcode::NoError);
}

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: the private type itself is never exposed (NODATA)") {
  for (const char* owner : {"example.com.", "shop.example.com.", "x.wild.example.com."}) {
    auto r = ask(owner, RRType::ALIAS);
    CHECK(r.rcode == Rcode::NoError);
    CHECK(r.aa);
    CHECK(r.answer.empty());
    CHECK(r.authority == Lines{kAliasSoa});
  }
}

TEST_CASE_FIXTURE(AliasFixture, "ALIAS: ANY (RFC 8482) shows flattened addresses, never ALIAS") {
  auto udp = ask("example.com.", RRType::ANY, Transport::kUdp);
  CHECK(udp.answer == Lines{"example.com. 3600 NS ns1.example.com."});
  auto tcp = ask("example.com.", RRType::ANY, Transport::kTcp);
  CHECK(tcp.answer == Lines{"example.com. 3600 NS ns1.example.com.",
                            "example.com. 3600 SOA ns1.example.com. hostmaster.example.com. 1 7200 "
                            "3600 1209600 300",
                            "example.com. 3600 MX 10 mail.example.com.",
                            "example.com. 300 A 198.51.100.1", "example.com. 300 A 198.51.100.2",
                            "example.com. 120 AAAA 2001:db8::10"});
  // An owner holding only an ALIAS: its addresses stand for it, over UDP too.
  CHECK(ask("v4only.example.com.", RRType::ANY, Transport::kUdp).answer ==
        Lines{"v4only.example.com. 30 A 198.51.100.4"});
  // Nothing to show (failing alias): NODATA, not SERVFAIL.
  auto down = ask("down.example.com.", RRType::ANY, Transport::kTcp);
  CHECK(down.rcode == Rcode::NoError);
  CHECK(down.answer.empty());
  CHECK(down.authority == Lines{kAliasSoa});
}
