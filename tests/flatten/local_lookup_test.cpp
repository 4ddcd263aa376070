// Specification of local chain steps (targets in provider-owned served zones are resolved from
// the snapshot): addresses, CNAME and ALIAS hops one at a time, wildcards, NODATA and NXDOMAIN
// with the negative TTL, names this server does not hold authoritatively, and zones that are
// not provider-owned (a customer's zone never answers another customer's alias target).
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

// cdn.local is the operator's own zone.
const ProviderZones& providers() {
  static const ProviderZones kProviders({name("cdn.local.")});
  return kProviders;
}

}  // namespace

TEST_CASE("addresses with their TTL") {
  auto step = local_step(*zones(), providers(), name("LB.cdn.local."), RRType::A);
  REQUIRE(step.kind == Kind::kAddresses);
  CHECK(step.ttl == 120);
  CHECK(step.addresses.size() == 2);
  auto six = local_step(*zones(), providers(), name("lb.cdn.local."), RRType::AAAA);
  REQUIRE(six.kind == Kind::kAddresses);
  CHECK(six.ttl == 60);
  CHECK(six.addresses.at(0).size() == 16);
}

TEST_CASE("CNAMEs are taken one hop at a time") {
  auto step = local_step(*zones(), providers(), name("deep.cdn.local."), RRType::A);
  REQUIRE(step.kind == Kind::kHop);
  CHECK(step.next == name("www.cdn.local."));
  CHECK(step.ttl == 90);
}

TEST_CASE("an ALIAS is followed to its target like a CNAME, also behind a CNAME") {
  auto step = local_step(*zones(), providers(), name("cdn.local."), RRType::AAAA);
  REQUIRE(step.kind == Kind::kHop);
  CHECK(step.next == name("edge.example."));
  CHECK(step.ttl == 100);
  auto via = local_step(*zones(), providers(), name("to-apex.cdn.local."), RRType::A);
  REQUIRE(via.kind == Kind::kHop);
  CHECK(via.next == name("cdn.local."));
  CHECK(via.ttl == 70);
}

TEST_CASE("wildcards answer; NODATA and NXDOMAIN carry the negative TTL") {
  auto wild = local_step(*zones(), providers(), name("x.wild.cdn.local."), RRType::A);
  REQUIRE(wild.kind == Kind::kAddresses);
  CHECK(wild.ttl == 80);
  auto nodata = local_step(*zones(), providers(), name("x.wild.cdn.local."), RRType::AAAA);
  CHECK(nodata.kind == Kind::kNoData);
  CHECK(nodata.ttl == 300);
  auto nx = local_step(*zones(), providers(), name("nothing.cdn.local."), RRType::A);
  CHECK(nx.kind == Kind::kNxDomain);
  CHECK(nx.ttl == 300);
}

TEST_CASE("names outside served zones, or delegated away, are not served here") {
  CHECK(local_step(*zones(), providers(), name("edge.example."), RRType::A).kind ==
        Kind::kNotServed);
  CHECK(local_step(*zones(), providers(), name("host.sub.cdn.local."), RRType::A).kind ==
        Kind::kNotServed);
  CHECK(is_served(*zones(), providers(), name("host.sub.cdn.local.")));
  CHECK_FALSE(is_served(*zones(), providers(), name("edge.example.")));
}

TEST_CASE("a zone that is not provider-owned answers no alias target") {
  // The same data, but nobody marked the zone provider-owned: a customer could have added it.
  const ProviderZones none;
  CHECK(local_step(*zones(), none, name("lb.cdn.local."), RRType::A).kind == Kind::kNotServed);
  CHECK(local_step(*zones(), none, name("nothing.cdn.local."), RRType::A).kind == Kind::kNotServed);
  CHECK_FALSE(is_served(*zones(), none, name("lb.cdn.local.")));
  // Another zone being provider-owned changes nothing for this one.
  const ProviderZones other({name("hostco.example.")});
  CHECK(local_step(*zones(), other, name("lb.cdn.local."), RRType::A).kind == Kind::kNotServed);
}

TEST_CASE("the deepest enclosing zone decides: a customer zone below a provider zone") {
  auto both = zones()->with_zone(apex::test::zone_from_text("shop.cdn.local.", R"(
@ 3600 SOA ns.shop.cdn.local. h.shop.cdn.local. 1 3600 600 86400 300
@ 3600 NS ns.example.
www 60 A 203.0.113.66
)"));
  // The customer's zone shop.cdn.local holds www.shop.cdn.local: not answered locally, even
  // though the provider zone cdn.local encloses it too.
  CHECK(local_step(*both, providers(), name("www.shop.cdn.local."), RRType::A).kind ==
        Kind::kNotServed);
  CHECK_FALSE(is_served(*both, providers(), name("www.shop.cdn.local.")));
  REQUIRE(enclosing_zone(*both, name("www.shop.cdn.local.")) != nullptr);
  CHECK(enclosing_zone(*both, name("www.shop.cdn.local."))->apex() == name("shop.cdn.local."));
  // The provider zone's own names still are.
  auto lb = local_step(*both, providers(), name("lb.cdn.local."), RRType::A);
  CHECK(lb.kind == Kind::kAddresses);
  // Marked provider-owned too, the customer zone would answer.
  const ProviderZones marked = providers().with(name("SHOP.cdn.local."), true);
  CHECK(local_step(*both, marked, name("www.shop.cdn.local."), RRType::A).kind == Kind::kAddresses);
  CHECK(marked.with(name("shop.cdn.local."), false).size() == 1);
}
