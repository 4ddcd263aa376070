// Specification of what an alias serves per family: the one decision apexd's answer table,
// `apexctl alias status` and `zone export --flatten` share.
#include "flatten/served_alias.hpp"

#include <doctest/doctest.h>

#include "zones/ip_address_text.hpp"

namespace apex::flatten {
namespace {

using namespace std::chrono_literals;

Address v4(const char* text) {
  auto a = ipv4_from_text(text).value();
  return {a.begin(), a.end()};
}

Address v6(const char* text) {
  auto a = ipv6_from_text(text).value();
  return {a.begin(), a.end()};
}

TargetState target(AliasState a, AliasState aaaa) {
  TargetState t;
  t.target = Name::from_text("lb.cdn.test.").value();
  t.a.state = a;
  t.aaaa.state = aaaa;
  if (a == AliasState::kAddresses) t.a.addresses = {v4("192.0.2.10")}, t.a.ttl = 60;
  if (aaaa == AliasState::kAddresses) t.aaaa.addresses = {v6("2001:db8::10")}, t.aaaa.ttl = 60;
  return t;
}

AliasSpec alias(std::vector<Address> fallback_a, std::vector<Address> fallback_aaaa) {
  return {Name::from_text("shop.test.").value(),
          Name::from_text("lb.cdn.test.").value(),
          300,
          std::move(fallback_a),
          std::move(fallback_aaaa),
          std::nullopt};
}

FlattenPolicy policy() {
  FlattenPolicy p;
  p.stale_ttl = 7s;
  return p;
}

ServedFamily served(const TargetState& t, const AliasSpec& spec, RRType family) {
  return served_family(t, spec, family, assume_healthy, policy());
}

}  // namespace

TEST_SUITE("served alias") {
  TEST_CASE("fresh and negative families serve the target's result, settings or not") {
    const TargetState t = target(AliasState::kAddresses, AliasState::kNoData);
    for (const AliasSpec& spec : {alias({}, {}), alias({v4("192.0.2.99")}, {v6("2001:db8::99")})}) {
      auto a = served(t, spec, RRType::A);
      CHECK(a.from == ServedFrom::kTarget);
      CHECK(a.result.state == AliasState::kAddresses);
      CHECK(a.result.addresses.ttl == 60);
      CHECK_FALSE(a.result.stale);
      auto aaaa = served(t, spec, RRType::AAAA);
      CHECK(aaaa.from == ServedFrom::kTarget);
      CHECK(aaaa.result.state == AliasState::kNoData);
    }
  }

  TEST_CASE("stale addresses are served with the stale TTL") {
    TargetState t = target(AliasState::kAddresses, AliasState::kNoData);
    t.a.failing_since_ms = 1000;
    auto a = served(t, alias({v4("192.0.2.99")}, {}), RRType::A);
    CHECK(a.from == ServedFrom::kTarget);
    CHECK(a.result.stale);
    CHECK(a.result.addresses.ttl == 7);
  }

  TEST_CASE("failed and pending families: fallbacks of the family, else NODATA, else SERVFAIL") {
    for (AliasState nothing : {AliasState::kFailed, AliasState::kPending}) {
      CAPTURE(alias_state_to_text(nothing));
      const TargetState t = target(nothing, nothing);
      // No fallback at all: the target's own state (SERVFAIL to the client).
      auto none = served(t, alias({}, {}), RRType::A);
      CHECK(none.from == ServedFrom::kTarget);
      CHECK(none.result.state == nothing);
      // An IPv4 fallback only: A gets it, with the stale TTL; AAAA is NODATA.
      const AliasSpec v4_only = alias({v4("192.0.2.99")}, {});
      auto a = served(t, v4_only, RRType::A);
      CHECK(a.from == ServedFrom::kFallback);
      CHECK(a.result.state == AliasState::kAddresses);
      CHECK(a.result.addresses.ttl == 7);
      CHECK(a.result.addresses.count == 1);
      auto aaaa = served(t, v4_only, RRType::AAAA);
      CHECK(aaaa.from == ServedFrom::kFallback);
      CHECK(aaaa.result.state == AliasState::kNoData);
      // An IPv6 fallback only: the other way round.
      const AliasSpec v6_only = alias({}, {v6("2001:db8::99")});
      CHECK(served(t, v6_only, RRType::A).result.state == AliasState::kNoData);
      CHECK(served(t, v6_only, RRType::AAAA).result.addresses.type == RRType::AAAA);
    }
  }

  TEST_CASE("owner_result is served_family for both families, nullopt when the target's") {
    const TargetState t = target(AliasState::kFailed, AliasState::kNoData);
    const AliasSpec spec = alias({v4("192.0.2.99")}, {});
    const AliasResult base = target_result(t, policy());
    auto own = owner_result(base, t, spec, assume_healthy, policy());
    REQUIRE(own.has_value());
    CHECK(own->a.state == served(t, spec, RRType::A).result.state);
    CHECK(own->a.addresses.rdata == served(t, spec, RRType::A).result.addresses.rdata);
    // The negative AAAA is the target's: NODATA with or without fallbacks.
    CHECK(own->aaaa.state == AliasState::kNoData);
    CHECK_FALSE(owner_result(base, t, alias({}, {}), assume_healthy, policy()).has_value());
  }
}

}  // namespace apex::flatten
