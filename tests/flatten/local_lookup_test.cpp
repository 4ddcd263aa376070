// Specification of local chain steps (DESIGN §5: targets in served zones are resolved from the
// snapshot): addresses, CNAME and ALIAS hops one at a time, wildcards, NODATA and NXDOMAIN
// with the negative TTL, and names this server does not hold authoritatively.
#include <doctest/doctest.h>

#include "flatten/local_lookup.hpp"
#include "tests/flatten/fake_resolver.hpp"
#include "tests/zones/answer_fixture.hpp"

using namespace apex;
using namespace apex::flatten;
using apex::flatten::test::name;
using Kind = LocalStep::Kind;

namespace {

ZoneIndexPtr zones() {
  return ZoneIndex::from_zones({apex::test::zone_from_text("cdn.local.", R"(
@ 3600 SOA ns.cdn.local. h.cdn.local. 1 3600 600 86400 300
@ 3600 NS ns.example.
@ 100 ALIAS edge.example.
lb 120 A 10.0.0.2
lb 120 A 10.0.0.1
lb 60 AAAA 2001:db8::1
www 90 CNAME lb
deep 90 CNAME www
to-apex 70 CNAME cdn.local.
*.wild 80 A 10.0.0.9
sub 3600 NS ns.elsewhere.example.
)")});
}

}  // namespace

TEST_CASE("addresses with their TTL") {
  auto step = local_step(*zones(), name("LB.cdn.local."), RRType::A);
  REQUIRE(step.kind == Kind::kAddresses);
  CHECK(step.ttl == 120);
  CHECK(step.addresses.size() == 2);
  auto six = local_step(*zones(), name("lb.cdn.local."), RRType::AAAA);
  REQUIRE(six.kind == Kind::kAddresses);
  CHECK(six.ttl == 60);
  CHECK(six.addresses.at(0).size() == 16);
}

TEST_CASE("CNAMEs are taken one hop at a time") {
  auto step = local_step(*zones(), name("deep.cdn.local."), RRType::A);
  REQUIRE(step.kind == Kind::kHop);
  CHECK(step.next == name("www.cdn.local."));
  CHECK(step.ttl == 90);
}

TEST_CASE("an ALIAS is followed to its target like a CNAME, also behind a CNAME") {
  auto step = local_step(*zones(), name("cdn.local."), RRType::AAAA);
  REQUIRE(step.kind == Kind::kHop);
  CHECK(step.next == name("edge.example."));
  CHECK(step.ttl == 100);
  auto via = local_step(*zones(), name("to-apex.cdn.local."), RRType::A);
  REQUIRE(via.kind == Kind::kHop);
  CHECK(via.next == name("cdn.local."));
  CHECK(via.ttl == 70);
}

TEST_CASE("wildcards answer; NODATA and NXDOMAIN carry the negative TTL") {
  auto wild = local_step(*zones(), name("x.wild.cdn.local."), RRType::A);
  REQUIRE(wild.kind == Kind::kAddresses);
  CHECK(wild.ttl == 80);
  auto nodata = local_step(*zones(), name("x.wild.cdn.local."), RRType::AAAA);
  CHECK(nodata.kind == Kind::kNoData);
  CHECK(nodata.ttl == 300);
  auto nx = local_step(*zones(), name("nothing.cdn.local."), RRType::A);
  CHECK(nx.kind == Kind::kNxDomain);
  CHECK(nx.ttl == 300);
}

TEST_CASE("names outside served zones, or delegated away, are not served here") {
  CHECK(local_step(*zones(), name("edge.example."), RRType::A).kind == Kind::kNotServed);
  CHECK(local_step(*zones(), name("host.sub.cdn.local."), RRType::A).kind == Kind::kNotServed);
  CHECK(is_served(*zones(), name("host.sub.cdn.local.")));
  CHECK_FALSE(is_served(*zones(), name("edge.example.")));
}
