// Specification of what each alias serves (ARCHITECTURE.md §5): fresh or stale target results,
// fallbacks once nothing else is left, and health-filtered addresses per owner.
#include <doctest/doctest.h>

#include <set>

#include "flatten/alias_table_assembly.hpp"
#include "tests/flatten/flattener_fixture.hpp"

using namespace apex;
using namespace apex::flatten;
using namespace apex::flatten::test;

namespace {

TargetState target_with(std::vector<Address> a, std::vector<Address> aaaa = {}) {
  TargetState t;
  t.target = name("target.example.");
  t.a.state = AliasState::kAddresses;
  t.a.addresses = std::move(a);
  t.a.ttl = 60;
  if (aaaa.empty()) {
    t.aaaa.state = AliasState::kNoData;
  } else {
    t.aaaa.state = AliasState::kAddresses;
    t.aaaa.addresses = std::move(aaaa);
    t.aaaa.ttl = 90;
  }
  return t;
}

HealthLookup all_healthy = [](const Address&, std::uint16_t) { return true; };

HealthLookup unhealthy(std::set<Address> bad) {
  return [bad](const Address& a, std::uint16_t port) { return port != 443 || !bad.count(a); };
}

AliasSpec checked(const char* owner) {
  AliasSpec spec = alias(owner, "target.example.");
  spec.health_tcp_port = 443;
  return spec;
}

}  // namespace

TEST_CASE("target results: fresh with the chain TTL, stale with the stale TTL") {
  FlattenPolicy p;
  TargetState t = target_with({v4("192.0.2.1")});
  auto fresh = target_family_result(t, RRType::A, p);
  CHECK(fresh.state == AliasState::kAddresses);
  CHECK(fresh.addresses.ttl == 60);
  CHECK_FALSE(fresh.stale);
  CHECK(target_family_result(t, RRType::AAAA, p).state == AliasState::kNoData);

  t.a.failing_since_ms = 1;
  auto stale = target_family_result(t, RRType::A, p);
  CHECK(stale.stale);
  CHECK(stale.addresses.ttl == 30);
  t.a.failing_since_ms = 0;
  t.a.negative_since_ms = 1;
  CHECK(target_family_result(t, RRType::A, p).stale);

  t.a.state = AliasState::kFailed;
  CHECK(target_family_result(t, RRType::A, p).state == AliasState::kFailed);
  t.a.state = AliasState::kPending;
  CHECK(target_family_result(t, RRType::A, p).state == AliasState::kPending);
}

TEST_CASE("fallbacks replace a failed family; the family without any is NODATA") {
  FlattenPolicy p;
  TargetState t = target_with({v4("192.0.2.1")}, {v6("2001:db8::1")});
  t.a.state = AliasState::kFailed;
  t.aaaa.state = AliasState::kFailed;
  AliasSpec spec = alias("shop.example.", "target.example.");
  const AliasResult base = target_result(t, p);
  CHECK_FALSE(owner_result(base, t, spec, all_healthy, p).has_value());

  spec.fallback_a = {v4("198.51.100.1")};
  auto own = owner_result(base, t, spec, all_healthy, p);
  REQUIRE(own.has_value());
  CHECK(addresses(own->a) == Strings{"198.51.100.1"});
  CHECK(own->a.addresses.ttl == 30);
  CHECK_FALSE(own->a.stale);
  CHECK(own->aaaa.state == AliasState::kNoData);
}

TEST_CASE("fallbacks also answer while a target has no result yet (pending)") {
  // A new alias, or a result dropped with the provider zone it came from.
  FlattenPolicy p;
  TargetState t;
  t.target = Name::from_text("target.example.").value();
  AliasSpec spec = alias("shop.example.", "target.example.");
  const AliasResult base = target_result(t, p);
  CHECK(base.a.state == AliasState::kPending);
  CHECK_FALSE(owner_result(base, t, spec, all_healthy, p).has_value());  // SERVFAIL

  spec.fallback_a = {v4("198.51.100.1")};
  auto own = owner_result(base, t, spec, all_healthy, p);
  REQUIRE(own.has_value());
  CHECK(addresses(own->a) == Strings{"198.51.100.1"});
  CHECK(own->a.addresses.ttl == 30);
  CHECK(own->aaaa.state == AliasState::kNoData);
}

TEST_CASE("health: unhealthy addresses leave the owner's answer") {
  FlattenPolicy p;
  TargetState t = target_with({v4("192.0.2.1"), v4("192.0.2.2")}, {v6("2001:db8::1")});
  const AliasResult base = target_result(t, p);
  CHECK_FALSE(owner_result(base, t, checked("shop.example."), all_healthy, p).has_value());

  auto own = owner_result(base, t, checked("shop.example."), unhealthy({v4("192.0.2.2")}), p);
  REQUIRE(own.has_value());
  CHECK(addresses(own->a) == Strings{"192.0.2.1"});
  CHECK(own->a.addresses.ttl == 60);
  CHECK(addresses(own->aaaa) == Strings{"2001:db8::1"});

  // Another port is not affected by probes of 443.
  AliasSpec other = checked("other.example.");
  other.health_tcp_port = 80;
  CHECK_FALSE(owner_result(base, t, other, unhealthy({v4("192.0.2.2")}), p).has_value());
}

TEST_CASE("health: none healthy serves all (fail-open) or the owner's fallbacks") {
  FlattenPolicy p;
  TargetState t = target_with({v4("192.0.2.1"), v4("192.0.2.2")});
  const AliasResult base = target_result(t, p);
  auto none = unhealthy({v4("192.0.2.1"), v4("192.0.2.2")});
  AliasSpec spec = checked("shop.example.");
  spec.fallback_a = {v4("198.51.100.1")};
  CHECK_FALSE(owner_result(base, t, spec, none, p).has_value());

  p.health_fail_open = false;
  auto own = owner_result(base, t, spec, none, p);
  REQUIRE(own.has_value());
  CHECK(addresses(own->a) == Strings{"198.51.100.1"});
  spec.fallback_a.clear();
  CHECK_FALSE(owner_result(base, t, spec, none, p).has_value());
}

TEST_CASE("the assembled table: owner entries only where an owner differs") {
  FlattenPolicy p;
  TargetState t = target_with({v4("192.0.2.1"), v4("192.0.2.2")});
  TargetState other;
  other.target = name("pending.example.");
  std::vector<AliasSpec> aliases = {
      alias("plain.example.", "target.example."), checked("checked.example."),
      alias("waiting.example.", "pending.example."), alias("orphan.example.", "unknown.example.")};
  auto table = assemble_alias_table({&t, &other}, aliases, unhealthy({v4("192.0.2.2")}), p);
  REQUIRE(table.ok());
  CHECK((*table)->target_count() == 2);
  CHECK((*table)->owner_count() == 1);
  auto key = TargetRegistry::key_of(name("target.example."));
  CHECK(addresses((*table)->find(name("plain.example.").wire_view(), key)->a) ==
        Strings{"192.0.2.1", "192.0.2.2"});
  CHECK(addresses((*table)->find(name("CHECKED.example.").wire_view(), key)->a) ==
        Strings{"192.0.2.1"});
  auto pending = (*table)->find(name("waiting.example.").wire_view(),
                                TargetRegistry::key_of(name("pending.example.")));
  REQUIRE(pending != nullptr);
  CHECK(pending->a.state == AliasState::kPending);
}
