// Specification of the flattener (ARCHITECTURE.md §5) against a scripted recursive resolver on
// 127.0.0.1: published addresses and TTLs, refresh, serve-stale and max-stale, fallbacks,
// negative grace, CNAME chains and loops, local targets, deduplication, health checks, and
// persisted state after a restart. A test clock stands in for minutes and hours.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "flatten/alias_table_assembly.hpp"
#include "flatten/flattener.hpp"
#include "flatten/memory_state_store.hpp"
#include "tests/flatten/flattener_fixture.hpp"
#include "tests/zones/answer_fixture.hpp"

using namespace apex;
using namespace apex::flatten;
using namespace apex::flatten::test;
using namespace std::chrono_literals;

namespace {

struct Harness {
  asio::io_context io;
  ScriptedResolver resolver{io};
  TestClock clock;
  MemoryStateStore store;
  Published published;
  FlattenPolicy policy = test_policy();
  UpstreamClient upstream{io, upstream_options(resolver.endpoint())};
  std::unique_ptr<Flattener> flattener;
  std::vector<StatusChange> changes;  // every status change reported, in order

  ~Harness() { flattener.reset(); }

  Flattener& make() {
    flattener.reset();
    flattener = std::make_unique<Flattener>(io, upstream, policy, store, published.sink(),
                                            clock.wall_clock());
    flattener->on_status_changes([this](std::vector<StatusChange> batch) {
      changes.insert(changes.end(), batch.begin(), batch.end());
    });
    return *flattener;
  }
  Flattener& start(std::vector<AliasSpec> aliases) {
    Flattener& f = make();
    f.set_aliases(std::move(aliases));
    f.start();
    return f;
  }
  bool until(const std::function<bool()>& done, std::chrono::milliseconds limit = 2000ms) {
    return run_until(io, done, limit);
  }
  // Waits for the family of the alias to reach state (and, if given, these addresses).
  bool until_state(const char* owner, const char* target, RRType family, AliasState state,
                   std::optional<Strings> expected = std::nullopt,
                   std::chrono::milliseconds limit = 2000ms) {
    return until(
        [&] {
          const AliasResult* r = published.find(owner, target);
          if (!r || r->of(family).state != state) return false;
          return !expected || addresses(r->of(family)) == *expected;
        },
        limit);
  }
  const AliasFamilyResult& family(const char* owner, const char* target, RRType family) {
    const AliasResult* r = published.find(owner, target);
    REQUIRE(r != nullptr);
    return r->of(family);
  }
  TargetState state(const char* target) {
    auto states = flattener->snapshot_state();
    const TargetState* s = state_of(states, target);
    REQUIRE(s != nullptr);
    return *s;
  }
};

// The operator's provider-owned zones.
ProviderZonesPtr providers(const std::vector<Name>& apexes) {
  return std::make_shared<const ProviderZones>(apexes);
}

void serve_lb(ScriptedResolver& r) {
  r.cname("target.example.", "lb.cdn.example.", 300);
  r.add("lb.cdn.example.", RRType::A, 60, v4("192.0.2.2"));
  r.add("lb.cdn.example.", RRType::A, 60, v4("192.0.2.1"));
  r.add("lb.cdn.example.", RRType::AAAA, 120, v6("2001:db8::1"));
}

}  // namespace

TEST_CASE("a target's addresses are published with TTL = min along the chain") {
  Harness h;
  serve_lb(h.resolver);
  h.start({alias("shop.example.", "target.example.")});

  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::AAAA, AliasState::kAddresses));
  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::A, AliasState::kAddresses));
  const auto& a = h.family("shop.example.", "target.example.", RRType::A);
  CHECK(addresses(a) == Strings{"192.0.2.1", "192.0.2.2"});
  CHECK(a.addresses.ttl == 60);
  CHECK_FALSE(a.stale);
  const auto& aaaa = h.family("shop.example.", "target.example.", RRType::AAAA);
  CHECK(addresses(aaaa) == Strings{"2001:db8::1"});
  CHECK(aaaa.addresses.ttl == 120);

  TargetState s = h.state("target.example.");
  CHECK(s.a.chain == std::vector<Name>{name("target.example."), name("lb.cdn.example.")});
  CHECK(status_of(s.a, h.clock.now()) == FlattenStatus::kFresh);
  CHECK(s.a.next_refresh_ms - s.a.last_success_ms == 61'000);  // 60 s TTL + 1 s margin
  CHECK(h.resolver.queries() == 2);

  // The answer engine serves min(ALIAS TTL, chain TTL) as static records.
  auto zones = ZoneIndex::from_zones({apex::test::zone_from_text("shop.example.", R"(
@ 3600 SOA ns.shop.example. h.shop.example. 1 3600 600 86400 300
@ 3600 NS ns.example.
@ 300 ALIAS target.example.
)")});
  auto served = apex::test::ask(*zones, h.published.latest(), "shop.example.", RRType::A);
  CHECK(served.rcode == Rcode::NoError);
  CHECK(served.answer ==
        apex::test::Lines{"shop.example. 60 A 192.0.2.1", "shop.example. 60 A 192.0.2.2"});
  auto counters = h.flattener->counters();
  CHECK(counters.refreshes == 2);
  CHECK(counters.upstream_queries == 2);
  CHECK(counters.targets == 1);
}

TEST_CASE("a refresh just after the TTL runs out picks up a changed answer") {
  Harness h;
  h.resolver.add("target.example.", RRType::A, 60, v4("192.0.2.1"));
  h.start({alias("shop.example.", "target.example.")});
  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::A, AliasState::kAddresses,
                        Strings{"192.0.2.1"}));

  h.resolver.clear("target.example.");
  h.resolver.add("target.example.", RRType::A, 60, v4("192.0.2.9"));
  run_for(h.io, 50ms);
  CHECK(h.resolver.queries_for("target.example.", RRType::A) == 1);  // not due yet

  // At the TTL a caching resolver could still hand out its old copy: not yet. The addresses
  // go on being served, as fresh, during the margin.
  h.clock.advance(60s);
  run_for(h.io, 50ms);
  CHECK(h.resolver.queries_for("target.example.", RRType::A) == 1);
  CHECK_FALSE(h.family("shop.example.", "target.example.", RRType::A).stale);
  CHECK(status_of(h.state("target.example.").a, h.clock.now()) == FlattenStatus::kFresh);

  h.clock.advance(1s);
  CHECK(h.until_state("shop.example.", "target.example.", RRType::A, AliasState::kAddresses,
                      Strings{"192.0.2.9"}));
  CHECK(h.resolver.queries_for("target.example.", RRType::A) == 2);
}

TEST_CASE("resolver failure: stale last-known-good, then past max-stale fallback or SERVFAIL") {
  Harness h;
  h.resolver.add("target.example.", RRType::A, 60, v4("192.0.2.1"));
  h.resolver.add("target.example.", RRType::AAAA, 60, v6("2001:db8::1"));
  AliasSpec with_fallback = alias("fb.example.", "target.example.");
  with_fallback.fallback_a = {v4("198.51.100.7")};
  h.start({alias("plain.example.", "target.example."), with_fallback});
  REQUIRE(h.until_state("plain.example.", "target.example.", RRType::A, AliasState::kAddresses));
  REQUIRE(h.until_state("plain.example.", "target.example.", RRType::AAAA, AliasState::kAddresses));

  SUBCASE("SERVFAIL") {
    h.resolver.mode = ScriptedResolver::Mode::kServFail;
  }
  SUBCASE("time-out") {
    h.resolver.mode = ScriptedResolver::Mode::kSilent;
  }
  h.clock.advance(61s);  // the TTL and the refresh margin
  REQUIRE(h.until([&] { return h.family("plain.example.", "target.example.", RRType::A).stale; }));
  const auto& stale = h.family("plain.example.", "target.example.", RRType::A);
  CHECK(stale.state == AliasState::kAddresses);
  CHECK(addresses(stale) == Strings{"192.0.2.1"});
  CHECK(stale.addresses.ttl == 30);  // the stale TTL
  // The owner with fallbacks still gets last-known-good while it lasts.
  CHECK(addresses(h.family("fb.example.", "target.example.", RRType::A)) == Strings{"192.0.2.1"});
  TargetState s = h.state("target.example.");
  CHECK(status_of(s.a, h.clock.now()) == FlattenStatus::kStale);
  CHECK(s.a.failing_since_ms != 0);
  CHECK_FALSE(s.a.last_error.empty());

  // Retries back off: 5 s after the first failure.
  const auto failures = h.flattener->counters().failures;
  h.clock.advance(6s);
  CHECK(h.until([&] { return h.flattener->counters().failures >= failures + 2; }));

  h.clock.advance(24h);
  REQUIRE(h.until_state("plain.example.", "target.example.", RRType::A, AliasState::kFailed));
  CHECK(h.family("plain.example.", "target.example.", RRType::AAAA).state == AliasState::kFailed);
  REQUIRE(h.until_state("fb.example.", "target.example.", RRType::A, AliasState::kAddresses,
                        Strings{"198.51.100.7"}));
  CHECK(h.family("fb.example.", "target.example.", RRType::A).addresses.ttl == 30);
  // Fallbacks of the other family only: this family is NODATA rather than SERVFAIL.
  CHECK(h.family("fb.example.", "target.example.", RRType::AAAA).state == AliasState::kNoData);
  CHECK(status_of(h.state("target.example.").a, h.clock.now()) == FlattenStatus::kFailed);

  // The target comes back: fresh addresses for everyone (once attempts under way, which may
  // be waiting for a time-out, have ended).
  run_for(h.io, 250ms);
  h.resolver.mode = ScriptedResolver::Mode::kAnswer;
  h.clock.advance(5min);
  CHECK(h.until_state("fb.example.", "target.example.", RRType::A, AliasState::kAddresses,
                      Strings{"192.0.2.1"}));
  CHECK_FALSE(h.family("plain.example.", "target.example.", RRType::A).stale);
}

TEST_CASE("each status transition is reported once, however many attempts fail") {
  Harness h;
  h.resolver.add("target.example.", RRType::A, 60, v4("192.0.2.1"));
  h.start({alias("plain.example.", "target.example.")});
  REQUIRE(h.until_state("plain.example.", "target.example.", RRType::A, AliasState::kAddresses));
  REQUIRE(h.until_state("plain.example.", "target.example.", RRType::AAAA, AliasState::kNoData));
  auto transitions = [&](RRType family) {
    std::vector<std::pair<FlattenStatus, FlattenStatus>> out;
    for (const auto& c : h.changes)
      if (c.family == family) out.emplace_back(c.before, c.after);
    return out;
  };
  using Steps = std::vector<std::pair<FlattenStatus, FlattenStatus>>;
  CHECK(transitions(RRType::A) == Steps{{FlattenStatus::kPending, FlattenStatus::kFresh}});
  CHECK(transitions(RRType::AAAA) == Steps{{FlattenStatus::kPending, FlattenStatus::kNegative}});

  h.resolver.mode = ScriptedResolver::Mode::kServFail;
  h.clock.advance(61s);
  REQUIRE(h.until([&] { return h.family("plain.example.", "target.example.", RRType::A).stale; }));
  const auto failures = h.flattener->counters().failures;
  h.clock.advance(6s);  // the next retries fail too
  REQUIRE(h.until([&] { return h.flattener->counters().failures >= failures + 2; }));
  run_for(h.io, 50ms);
  CHECK(transitions(RRType::A) == Steps{{FlattenStatus::kPending, FlattenStatus::kFresh},
                                        {FlattenStatus::kFresh, FlattenStatus::kStale}});
  const StatusChange& stale = h.changes.back();
  CHECK(stale.target == name("target.example."));
  CHECK(stale.addresses == 1);
  CHECK_FALSE(stale.error.empty());

  run_for(h.io, 250ms);
  h.resolver.mode = ScriptedResolver::Mode::kAnswer;
  h.clock.advance(5min);
  REQUIRE(h.until([&] { return !h.family("plain.example.", "target.example.", RRType::A).stale; }));
  run_for(h.io, 50ms);
  CHECK(transitions(RRType::A).back() == std::pair{FlattenStatus::kStale, FlattenStatus::kFresh});
  CHECK(transitions(RRType::A).size() == 3);
}

TEST_CASE("a target that never resolved and fails: fallback, else SERVFAIL") {
  Harness h;
  h.resolver.mode = ScriptedResolver::Mode::kRefused;
  AliasSpec with_fallback = alias("fb.example.", "target.example.");
  with_fallback.fallback_a = {v4("198.51.100.7")};
  with_fallback.fallback_aaaa = {v6("2001:db8::7")};
  h.start({alias("plain.example.", "target.example."), with_fallback});
  REQUIRE(h.until_state("plain.example.", "target.example.", RRType::A, AliasState::kFailed));
  REQUIRE(h.until_state("fb.example.", "target.example.", RRType::AAAA, AliasState::kAddresses,
                        Strings{"2001:db8::7"}));
  CHECK(addresses(h.family("fb.example.", "target.example.", RRType::A)) ==
        Strings{"198.51.100.7"});
  CHECK(h.state("target.example.").a.last_error.find("REFUSED") != std::string::npos);
}

TEST_CASE("a negative answer for a target that resolved: grace period, then NODATA") {
  Harness h;
  h.resolver.add("target.example.", RRType::A, 60, v4("192.0.2.1"));
  h.resolver.add("target.example.", RRType::AAAA, 60, v6("2001:db8::1"));
  h.start({alias("shop.example.", "target.example.")});
  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::AAAA, AliasState::kAddresses));
  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::A, AliasState::kAddresses));

  h.resolver.clear("target.example.");  // NXDOMAIN from now on
  h.clock.advance(61s);                 // the TTL and the refresh margin
  REQUIRE(h.until([&] { return h.flattener->counters().negative_answers == 2; }));
  REQUIRE(h.until([&] { return h.family("shop.example.", "target.example.", RRType::A).stale; }));
  CHECK(h.family("shop.example.", "target.example.", RRType::AAAA).stale);
  CHECK(addresses(h.family("shop.example.", "target.example.", RRType::A)) == Strings{"192.0.2.1"});
  TargetState s = h.state("target.example.");
  CHECK(status_of(s.a, h.clock.now()) == FlattenStatus::kStale);
  CHECK(s.a.negative_since_ms != 0);
  CHECK(s.a.last_error.find("NXDOMAIN") != std::string::npos);

  h.clock.advance(2min);  // still within the 5 min grace
  run_for(h.io, 50ms);
  CHECK(h.family("shop.example.", "target.example.", RRType::A).state == AliasState::kAddresses);

  h.clock.advance(4min);
  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::A, AliasState::kNoData));
  // NXDOMAIN speaks for every type: AAAA follows.
  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::AAAA, AliasState::kNoData));
  CHECK(status_of(h.state("target.example.").a, h.clock.now()) == FlattenStatus::kNegative);
}

TEST_CASE("a never-resolved target accepts a negative answer at once") {
  Harness h;
  h.resolver.add("v4only.example.", RRType::A, 60, v4("192.0.2.4"));
  h.start({alias("gone.example.", "nothing.example."), alias("v4.example.", "v4only.example.")});
  CHECK(h.until_state("gone.example.", "nothing.example.", RRType::A, AliasState::kNoData));
  CHECK(h.until_state("gone.example.", "nothing.example.", RRType::AAAA, AliasState::kNoData));
  // A target with A records only: A addresses, AAAA NODATA.
  CHECK(h.until_state("v4.example.", "v4only.example.", RRType::A, AliasState::kAddresses,
                      Strings{"192.0.2.4"}));
  CHECK(h.until_state("v4.example.", "v4only.example.", RRType::AAAA, AliasState::kNoData));
  TargetState s = h.state("v4only.example.");
  CHECK(s.aaaa.ttl == 60);  // the negative TTL, min(SOA TTL, MINIMUM)
  CHECK(status_of(s.aaaa, h.clock.now()) == FlattenStatus::kNegative);
}

TEST_CASE("CNAME chains of depth 3 are followed; TTL is the chain's minimum") {
  Harness h;
  h.resolver.cname("target.example.", "c1.example.", 300);
  h.resolver.cname("c1.example.", "c2.example.", 45);
  h.resolver.cname("c2.example.", "c3.example.", 600);
  h.resolver.add("c3.example.", RRType::A, 90, v4("192.0.2.3"));
  SUBCASE("the resolver returns the whole chain") {}
  SUBCASE("the resolver stops at each CNAME: the last name is asked again") {
    h.resolver.chase = false;
  }
  h.start({alias("shop.example.", "target.example.")});
  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::A, AliasState::kAddresses,
                        Strings{"192.0.2.3"}));
  CHECK(h.family("shop.example.", "target.example.", RRType::A).addresses.ttl == 45);
  CHECK(h.state("target.example.").a.chain ==
        std::vector<Name>{name("target.example."), name("c1.example."), name("c2.example."),
                          name("c3.example.")});
  // AAAA: NODATA at the chain's end.
  CHECK(h.until_state("shop.example.", "target.example.", RRType::AAAA, AliasState::kNoData));
}

TEST_CASE("a chain beyond the depth limit and a CNAME loop fail") {
  Harness h;
  SUBCASE("too deep") {
    h.policy.max_chain_depth = 2;
    h.resolver.cname("target.example.", "c1.example.", 300);
    h.resolver.cname("c1.example.", "c2.example.", 300);
    h.resolver.cname("c2.example.", "c3.example.", 300);
    h.resolver.add("c3.example.", RRType::A, 90, v4("192.0.2.3"));
    h.start({alias("shop.example.", "target.example.")});
    REQUIRE(h.until_state("shop.example.", "target.example.", RRType::A, AliasState::kFailed));
    CHECK(h.state("target.example.").a.last_error.find("longer than 2") != std::string::npos);
  }
  SUBCASE("a loop") {
    h.resolver.cname("target.example.", "loop.example.", 300);
    h.resolver.cname("loop.example.", "target.example.", 300);
    h.start({alias("shop.example.", "target.example.")});
    REQUIRE(h.until_state("shop.example.", "target.example.", RRType::A, AliasState::kFailed));
    CHECK(h.state("target.example.").a.last_error == "CNAME loop at target.example.");
  }
}

TEST_CASE("targets inside served zones resolve from the snapshot and follow its changes") {
  Harness h;
  const char* zone_text = R"(
@ 3600 SOA ns.cdn.local. h.cdn.local. 1 3600 600 86400 300
@ 3600 NS ns.example.
lb 120 A 10.0.0.1
www 120 CNAME lb
out 200 CNAME edge.example.
)";
  auto zones = ZoneIndex::from_zones({apex::test::zone_from_text("cdn.local.", zone_text)});
  h.resolver.add("edge.example.", RRType::A, 100, v4("192.0.2.50"));
  h.resolver.cname("in.example.", "lb.cdn.local.", 500);
  Flattener& f = h.make();
  f.set_local_zones(zones, providers({name("cdn.local.")}), {});
  f.set_aliases({alias("a.example.", "www.cdn.local."), alias("b.example.", "out.cdn.local."),
                 alias("c.example.", "in.example.")});
  f.start();

  REQUIRE(h.until_state("a.example.", "www.cdn.local.", RRType::A, AliasState::kAddresses,
                        Strings{"10.0.0.1"}));
  REQUIRE(h.until_state("a.example.", "www.cdn.local.", RRType::AAAA, AliasState::kNoData));
  REQUIRE(h.until_state("b.example.", "out.cdn.local.", RRType::A, AliasState::kAddresses,
                        Strings{"192.0.2.50"}));
  REQUIRE(h.until_state("c.example.", "in.example.", RRType::A, AliasState::kAddresses,
                        Strings{"10.0.0.1"}));
  CHECK(h.family("b.example.", "out.cdn.local.", RRType::A).addresses.ttl == 100);
  // Nothing inside cdn.local was asked upstream.
  CHECK(h.resolver.queries_for("www.cdn.local.", RRType::A) == 0);
  CHECK(h.resolver.queries_for("lb.cdn.local.", RRType::A) == 0);
  CHECK(h.resolver.queries_for("out.cdn.local.", RRType::A) == 0);
  CHECK(h.resolver.queries_for("edge.example.", RRType::A) == 1);
  CHECK(h.resolver.queries_for("in.example.", RRType::A) == 1);
  CHECK(h.flattener->counters().local_resolutions > 0);

  // The zone changes: the apex follows within 1 s, with no upstream query.
  const auto queries = h.resolver.queries();
  std::string changed_text = zone_text;
  changed_text.replace(changed_text.find("CNAME lb"), 8, "CNAME lb2");
  changed_text += "lb2 120 A 10.0.0.2\n";
  auto next = zones->with_zone(apex::test::zone_from_text("cdn.local.", changed_text));
  f.set_local_zones(next, providers({name("cdn.local.")}), {name("cdn.local.")});
  CHECK(h.until_state("a.example.", "www.cdn.local.", RRType::A, AliasState::kAddresses,
                      Strings{"10.0.0.2"}, 1000ms));
  CHECK(h.resolver.queries_for("www.cdn.local.", RRType::A) == 0);
  // c.example's chain enters cdn.local too: it is re-flattened (one upstream query per family).
  CHECK(h.resolver.queries() <= queries + 4);
}

TEST_CASE("1,000 aliases over 10 targets cost one query per target and family") {
  Harness h;
  std::vector<AliasSpec> aliases;
  for (int t = 0; t < 10; ++t) {
    const std::string target = "t" + std::to_string(t) + ".example.";
    h.resolver.add(target.c_str(), RRType::A, 300, a(static_cast<std::uint8_t>(t)));
    h.resolver.add(target.c_str(), RRType::AAAA, 300, v6("2001:db8::1"));
  }
  for (int i = 0; i < 1000; ++i) {
    AliasSpec spec;
    spec.owner = name(("z" + std::to_string(i) + ".example.").c_str());
    // Targets in any case: one registry entry each.
    const std::string target = (i % 2 ? "T" : "t") + std::to_string(i % 10) + ".EXAMPLE.";
    spec.target = name(target.c_str());
    aliases.push_back(spec);
  }
  h.start(aliases);
  auto resolved = [&](int i) {
    const std::string owner = "z" + std::to_string(i) + ".example.";
    const std::string target = "t" + std::to_string(i % 10) + ".example.";
    const AliasResult* r = h.published.find(owner.c_str(), target.c_str());
    return r && r->a.state == AliasState::kAddresses && r->aaaa.state == AliasState::kAddresses;
  };
  REQUIRE(h.until([&] {
    for (int i = 0; i < 1000; ++i)
      if (!resolved(i)) return false;
    return true;
  }));
  run_for(h.io, 50ms);
  CHECK(h.resolver.queries() == 20);
  CHECK(h.flattener->counters().upstream_queries == 20);
  CHECK(h.flattener->counters().refreshes == 20);
  CHECK(h.published.latest().target_count() == 10);
  CHECK(h.published.latest().owner_count() == 0);
}

TEST_CASE("aliases removed: their targets are forgotten; new ones resolve at once") {
  Harness h;
  h.resolver.add("one.example.", RRType::A, 300, v4("192.0.2.1"));
  h.resolver.add("two.example.", RRType::A, 300, v4("192.0.2.2"));
  Flattener& f = h.start({alias("x.example.", "one.example.")});
  REQUIRE(h.until_state("x.example.", "one.example.", RRType::A, AliasState::kAddresses));
  REQUIRE(h.until([&] { return h.store.find(name("one.example.")).has_value(); }));

  f.set_aliases({alias("x.example.", "two.example.")});
  REQUIRE(h.until_state("x.example.", "two.example.", RRType::A, AliasState::kAddresses,
                        Strings{"192.0.2.2"}));
  CHECK(h.published.latest().find_target(TargetRegistry::key_of(name("one.example."))) == nullptr);
  auto states = f.snapshot_state();
  CHECK(state_of(states, "one.example.") == nullptr);
  CHECK(h.until([&] { return !h.store.find(name("one.example.")).has_value(); }));
}

TEST_CASE("aliases handed over per zone: a target shared by two zones outlives one of them") {
  Harness h;
  h.resolver.add("lb.example.", RRType::A, 300, v4("192.0.2.1"));
  h.resolver.add("other.example.", RRType::A, 300, v4("192.0.2.2"));
  Flattener& f = h.make();
  f.set_zone_aliases({{name("a.test."), {alias("a.test.", "lb.example.")}},
                      {name("b.test."), {alias("b.test.", "lb.example.")}}});
  f.start();
  REQUIRE(h.until_state("b.test.", "lb.example.", RRType::A, AliasState::kAddresses));
  REQUIRE(h.until_state("b.test.", "lb.example.", RRType::AAAA, AliasState::kNoData));
  run_for(h.io, 3 * h.policy.publish_interval);
  const std::size_t queries = h.resolver.queries();
  const std::size_t tables = h.published.tables.size();

  // a.test. goes: lb.example. stays for b.test., resolved, and is not asked again.
  f.set_zone_aliases({{name("a.test."), {}}});
  run_for(h.io, 3 * h.policy.publish_interval);
  CHECK(h.family("b.test.", "lb.example.", RRType::A).state == AliasState::kAddresses);
  CHECK(state_of(f.snapshot_state(), "lb.example.") != nullptr);
  CHECK(h.resolver.queries() == queries);
  CHECK(h.published.tables.size() == tables + 1);  // its aliases changed: one publication

  // b.test. re-points: the last alias of lb.example. goes, and with it the target.
  f.set_zone_aliases({{name("b.test."), {alias("b.test.", "other.example.")}}});
  REQUIRE(h.until_state("b.test.", "other.example.", RRType::A, AliasState::kAddresses,
                        Strings{"192.0.2.2"}));
  CHECK(h.published.latest().find_target(TargetRegistry::key_of(name("lb.example."))) == nullptr);
  CHECK(state_of(f.snapshot_state(), "lb.example.") == nullptr);
  CHECK(h.published.latest().target_count() == 1);
}

TEST_CASE("tables published change by change equal the table assembled from scratch") {
  Harness h;
  std::vector<std::string> targets;
  for (int t = 0; t < 8; ++t) {
    targets.push_back("t" + std::to_string(t) + ".example.");
    h.resolver.add(targets.back().c_str(), RRType::A, 300, a(static_cast<std::uint8_t>(t)));
  }
  // Per zone, its aliases as handed over last; some with fallbacks (owner results).
  std::map<std::string, std::vector<AliasSpec>> zones;
  std::mt19937 rng(5);
  Flattener& f = h.make();
  f.start();
  for (int round = 0; round < 40; ++round) {
    const std::string apex = "z" + std::to_string(rng() % 12) + ".test.";
    std::vector<AliasSpec> specs;
    for (unsigned n = rng() % 3; n > 0; --n) {
      const std::string owner = "o" + std::to_string(rng() % 4) + "." + apex;
      AliasSpec spec = alias(owner.c_str(), targets[rng() % targets.size()].c_str());
      if (rng() % 3 == 0) spec.fallback_a = {v4("198.51.100.1")};
      if (std::none_of(specs.begin(), specs.end(),
                       [&](const AliasSpec& s) { return s.owner == spec.owner; }))
        specs.push_back(spec);
    }
    zones[apex] = specs;
    f.set_zone_aliases({{name(apex.c_str()), std::move(specs)}});
    run_for(h.io, 2ms);
  }
  std::vector<AliasSpec> all;
  for (const auto& [apex, specs] : zones) all.insert(all.end(), specs.begin(), specs.end());
  std::set<std::string> wanted;
  for (const AliasSpec& spec : all) wanted.insert(TargetRegistry::key_of(spec.target));
  // Settled: every target aliased now is resolved, and the last table is out.
  REQUIRE(h.until([&] {
    auto states = f.snapshot_state();
    if (states.size() != wanted.size()) return false;
    for (const auto& s : states)
      if (s.a.state != AliasState::kAddresses) return false;
    return true;
  }));
  run_for(h.io, 3 * h.policy.publish_interval);
  auto states = f.snapshot_state();
  std::vector<const TargetState*> pointers;
  for (const auto& s : states) pointers.push_back(&s);
  auto scratch = assemble_alias_table(
      pointers, all, [](const Address&, std::uint16_t) { return true; }, h.policy);
  REQUIRE(scratch.ok());
  CHECK(h.published.latest() == **scratch);
  CHECK(h.published.latest().target_count() == wanted.size());
  // Consecutive tables share the shards no change touched.
  REQUIRE(h.published.tables.size() > 2);
  const auto& tables = h.published.tables;
  CHECK(tables.back()->shared_shards(*tables[tables.size() - 2]) > AliasTable::kShards / 2);
}

TEST_CASE("persisted state is published at once by a new flattener, before any answer") {
  Harness h;
  h.resolver.add("target.example.", RRType::A, 60, v4("192.0.2.1"));
  h.start({alias("shop.example.", "target.example.")});
  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::A, AliasState::kAddresses));
  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::AAAA, AliasState::kNoData));
  h.flattener.reset();  // writes what is pending
  REQUIRE(h.store.find(name("target.example.")).has_value());

  // Restart during an outage.
  h.resolver.mode = ScriptedResolver::Mode::kSilent;
  h.published.tables.clear();
  const auto queries = h.resolver.queries();
  h.clock.advance(10min);
  h.start({alias("shop.example.", "target.example.")});
  REQUIRE(h.until([&] { return !h.published.tables.empty(); }, 100ms));
  const AliasResult* first = h.published.tables.front()->find(
      name("shop.example.").wire_view(), TargetRegistry::key_of(name("target.example.")));
  REQUIRE(first != nullptr);
  CHECK(addresses(first->a) == Strings{"192.0.2.1"});
  CHECK(first->aaaa.state == AliasState::kNoData);
  // The overdue refresh fails: last-known-good goes on, as stale.
  CHECK(h.until([&] { return h.resolver.queries() > queries; }));
  REQUIRE(h.until([&] { return h.family("shop.example.", "target.example.", RRType::A).stale; }));
  CHECK(addresses(h.family("shop.example.", "target.example.", RRType::A)) == Strings{"192.0.2.1"});
}

// ---- health checks ------------------------------------------------------------------------

namespace {

// Two addresses on loopback with the same port: a listener on 127.0.0.2 only.
struct HealthWorld {
  Harness h;
  std::optional<asio::ip::tcp::acceptor> listener;
  std::uint16_t port = 0;
  bool usable = true;

  HealthWorld() {
    boost::system::error_code ec;
    listener.emplace(h.io);
    listener->open(asio::ip::tcp::v4());
    listener->bind({asio::ip::make_address("127.0.0.2"), 0}, ec);
    if (ec) {
      usable = false;  // a host without the whole of 127/8 on loopback
      return;
    }
    listener->listen();
    port = listener->local_endpoint().port();
    h.resolver.add("target.example.", RRType::A, 300, v4("127.0.0.2"));
    h.resolver.add("target.example.", RRType::A, 300, v4("127.0.0.3"));
    h.policy.health_interval = 100ms;
    h.policy.health_timeout = 500ms;
  }

  AliasSpec checked(const char* owner) const {
    AliasSpec spec = alias(owner, "target.example.");
    spec.health_tcp_port = port;
    return spec;
  }
};

}  // namespace

TEST_CASE("health: an address that refuses TCP leaves that owner's answer, and returns") {
  HealthWorld w;
  if (!w.usable) return;
  Harness& h = w.h;
  h.start({w.checked("checked.example."), alias("plain.example.", "target.example.")});

  REQUIRE(h.until_state("checked.example.", "target.example.", RRType::A, AliasState::kAddresses,
                        Strings{"127.0.0.2"}));
  CHECK(addresses(h.family("plain.example.", "target.example.", RRType::A)) ==
        Strings{"127.0.0.2", "127.0.0.3"});
  CHECK(h.flattener->counters().health_failures >= 1);
  TargetState s = h.state("target.example.");
  REQUIRE(s.probes.size() == 2);
  CHECK_FALSE(s.probes[1].healthy);
  CHECK_FALSE(s.probes[1].error.empty());

  // 127.0.0.3 starts accepting: it is back within an interval or two.
  asio::ip::tcp::acceptor second(h.io, {asio::ip::make_address("127.0.0.3"), w.port});
  second.listen();
  CHECK(h.until_state("checked.example.", "target.example.", RRType::A, AliasState::kAddresses,
                      Strings{"127.0.0.2", "127.0.0.3"}));
}

TEST_CASE("health: when no address is healthy, fail open or serve fallbacks") {
  HealthWorld w;
  if (!w.usable) return;
  Harness& h = w.h;
  w.listener.reset();  // neither address accepts now
  AliasSpec with_fallback = w.checked("fb.example.");
  with_fallback.fallback_a = {v4("198.51.100.7")};
  Strings all{"127.0.0.2", "127.0.0.3"};

  SUBCASE("fail-open serves them all") {
    h.start({with_fallback, w.checked("checked.example.")});
    REQUIRE(h.until([&] { return h.flattener->counters().health_failures >= 2; }));
    run_for(h.io, 50ms);
    CHECK(addresses(h.family("fb.example.", "target.example.", RRType::A)) == all);
    CHECK(addresses(h.family("checked.example.", "target.example.", RRType::A)) == all);
  }
  SUBCASE("fail-closed serves fallbacks where there are some, else all") {
    h.policy.health_fail_open = false;
    h.start({with_fallback, w.checked("checked.example.")});
    // (Fallbacks also answer while the target is pending: wait for the probes.)
    REQUIRE(h.until([&] { return h.flattener->counters().health_failures >= 2; }));
    REQUIRE(h.until_state("fb.example.", "target.example.", RRType::A, AliasState::kAddresses,
                          Strings{"198.51.100.7"}));
    CHECK(addresses(h.family("checked.example.", "target.example.", RRType::A)) == all);
  }
}

TEST_CASE("a zone added later takes over the targets inside it") {
  Harness h;
  h.resolver.add("www.new.local.", RRType::A, 300, v4("192.0.2.1"));
  Flattener& f = h.start({alias("shop.example.", "www.new.local.")});
  REQUIRE(h.until_state("shop.example.", "www.new.local.", RRType::A, AliasState::kAddresses,
                        Strings{"192.0.2.1"}));
  auto zones = ZoneIndex::from_zones({apex::test::zone_from_text("new.local.", R"(
@ 3600 SOA ns.new.local. h.new.local. 1 3600 600 86400 300
@ 3600 NS ns.example.
www 120 A 10.1.1.1
)")});
  f.set_local_zones(zones, providers({name("new.local.")}), {name("new.local.")});
  CHECK(h.until_state("shop.example.", "www.new.local.", RRType::A, AliasState::kAddresses,
                      Strings{"10.1.1.1"}, 1000ms));
  CHECK(h.resolver.queries_for("www.new.local.", RRType::A) == 1);
  // And when the zone goes away, upstream again.
  f.set_local_zones(std::make_shared<const ZoneIndex>(), providers({}), {name("new.local.")});
  CHECK(h.until_state("shop.example.", "www.new.local.", RRType::A, AliasState::kAddresses,
                      Strings{"192.0.2.1"}, 1000ms));
}

TEST_CASE("started before the aliases are known: persisted state answers, then is reconciled") {
  Harness h;
  for (const char* target : {"kept.example.", "dropped.example."}) {
    TargetState s;
    s.target = name(target);
    s.a.state = AliasState::kAddresses;
    s.a.addresses = {v4("192.0.2.77")};
    s.a.ttl = 300;
    s.a.last_success_ms = h.clock.now();
    s.a.next_refresh_ms = h.clock.now() + 270'000;
    s.aaaa.state = AliasState::kNoData;
    s.aaaa.next_refresh_ms = s.a.next_refresh_ms;
    REQUIRE(h.store.save({s}).ok());
  }
  Flattener& f = h.make();
  f.start();
  REQUIRE(h.until([&] { return !h.published.tables.empty(); }));
  CHECK(h.published.latest().target_count() == 2);
  CHECK(addresses(h.family("x.example.", "kept.example.", RRType::A)) == Strings{"192.0.2.77"});

  f.set_aliases({alias("x.example.", "kept.example.")});
  REQUIRE(h.until([&] { return h.published.latest().target_count() == 1; }));
  CHECK(h.until([&] { return !h.store.find(name("dropped.example.")).has_value(); }));
  run_for(h.io, 30ms);
  CHECK(h.resolver.queries() == 0);  // nothing was due
  CHECK(status_of(h.state("kept.example.").a, h.clock.now()) == FlattenStatus::kFresh);
}

TEST_CASE("a failing store is counted, never fatal") {
  Harness h;
  h.resolver.add("target.example.", RRType::A, 300, v4("192.0.2.1"));
  h.store.fail_with("disk I/O error");
  h.start({alias("shop.example.", "target.example.")});
  REQUIRE(h.until_state("shop.example.", "target.example.", RRType::A, AliasState::kAddresses));
  // The load at start, then at least one save.
  CHECK(h.until([&] { return h.flattener->counters().persist_errors >= 2; }));
  CHECK(h.flattener->last_store_error() == "disk I/O error");
}

TEST_CASE("a zone that is not provider-owned captures no alias target") {
  Harness h;
  h.resolver.add("shops.shopco.example.", RRType::A, 300, v4("192.0.2.80"));
  Flattener& f = h.start({alias("pizza.example.", "shops.shopco.example.")});
  REQUIRE(h.until_state("pizza.example.", "shops.shopco.example.", RRType::A,
                        AliasState::kAddresses, Strings{"192.0.2.80"}));
  // A customer adds a zone named like the target's, with another address.
  auto zones = ZoneIndex::from_zones({apex::test::zone_from_text("shopco.example.", R"(
@ 3600 SOA ns.shopco.example. h.shopco.example. 1 3600 600 86400 300
@ 3600 NS ns.example.
shops 120 A 203.0.113.66
)")});
  f.set_local_zones(zones, providers({}), {name("shopco.example.")});
  // The target is resolved again, upstream: the answer does not change.
  REQUIRE(h.until([&] { return h.resolver.queries_for("shops.shopco.example.", RRType::A) >= 2; }));
  run_for(h.io, 100ms);
  CHECK(addresses(h.family("pizza.example.", "shops.shopco.example.", RRType::A)) ==
        Strings{"192.0.2.80"});
  CHECK(h.state("shops.shopco.example.").a.source == ResultSource::kUpstream);

  // Marked provider-owned by the operator, the zone answers from the snapshot.
  f.set_local_zones(zones, providers({name("shopco.example.")}), {name("shopco.example.")});
  CHECK(h.until_state("pizza.example.", "shops.shopco.example.", RRType::A, AliasState::kAddresses,
                      Strings{"203.0.113.66"}, 1000ms));
  CHECK(h.state("shops.shopco.example.").a.source == ResultSource::kLocal);
}

TEST_CASE("a provider zone deleted or unmarked leaves nothing learned from it") {
  Harness h;
  const char* zone_text = R"(
@ 3600 SOA ns.cdn.local. h.cdn.local. 1 3600 600 86400 300
@ 3600 NS ns.example.
lb 120 A 10.0.0.1
)";
  auto zones = ZoneIndex::from_zones({apex::test::zone_from_text("cdn.local.", zone_text)});
  AliasSpec with_fallback = alias("fb.example.", "lb.cdn.local.");
  with_fallback.fallback_a = {v4("198.51.100.7")};
  with_fallback.fallback_aaaa = {v6("2001:db8::7")};
  Flattener& f = h.make();
  f.set_local_zones(zones, providers({name("cdn.local.")}), {});
  f.set_aliases({alias("plain.example.", "lb.cdn.local."), with_fallback});
  f.start();
  REQUIRE(h.until_state("plain.example.", "lb.cdn.local.", RRType::A, AliasState::kAddresses,
                        Strings{"10.0.0.1"}));
  // The AAAA family is a local NODATA.
  REQUIRE(h.until_state("plain.example.", "lb.cdn.local.", RRType::AAAA, AliasState::kNoData));
  CHECK(h.state("lb.cdn.local.").aaaa.source == ResultSource::kLocal);

  // The resolvers fail: nothing learned locally may be served as stale or negative meanwhile.
  h.resolver.mode = ScriptedResolver::Mode::kServFail;
  SUBCASE("deleted") {
    f.set_local_zones(std::make_shared<const ZoneIndex>(), providers({}), {name("cdn.local.")});
  }
  SUBCASE("no longer provider-owned") {
    f.set_local_zones(zones, providers({}), {name("cdn.local.")});
  }
  REQUIRE(h.until_state("plain.example.", "lb.cdn.local.", RRType::A, AliasState::kFailed));
  CHECK(h.family("plain.example.", "lb.cdn.local.", RRType::AAAA).state == AliasState::kFailed);
  CHECK(addresses(h.family("fb.example.", "lb.cdn.local.", RRType::A)) == Strings{"198.51.100.7"});
  CHECK(addresses(h.family("fb.example.", "lb.cdn.local.", RRType::AAAA)) ==
        Strings{"2001:db8::7"});
  const TargetState s = h.state("lb.cdn.local.");
  CHECK(s.a.addresses.empty());
  CHECK(s.a.failing_since_ms != 0);
  CHECK(s.a.source == ResultSource::kNone);
  CHECK(s.aaaa.negative_since_ms == 0);
  // What is saved for a restart holds nothing of it either.
  CHECK(h.until([&] {
    auto saved = h.store.load();
    return saved && saved->size() == 1 && saved->front().a.addresses.empty() &&
           saved->front().aaaa.state == AliasState::kFailed;
  }));
}

TEST_CASE("a local result persisted from a zone gone while stopped is not restored") {
  Harness h;
  TargetState s;
  s.target = name("lb.cdn.local.");
  s.a.state = AliasState::kAddresses;
  s.a.addresses = {v4("10.0.0.1")};
  s.a.ttl = 120;
  s.a.chain = {name("lb.cdn.local.")};
  s.a.last_success_ms = h.clock.now();
  s.a.next_refresh_ms = h.clock.now() + 3'600'000;
  s.a.source = ResultSource::kLocal;
  s.aaaa = s.a;
  s.aaaa.addresses = {v6("2001:db8::1")};
  REQUIRE(h.store.save({s}).ok());
  h.resolver.add("lb.cdn.local.", RRType::A, 300, v4("192.0.2.9"));
  h.resolver.add("lb.cdn.local.", RRType::AAAA, 300, v6("2001:db8::9"));
  // Restarted with the zone still served, but no longer provider-owned.
  auto zones = ZoneIndex::from_zones({apex::test::zone_from_text("cdn.local.", R"(
@ 3600 SOA ns.cdn.local. h.cdn.local. 1 3600 600 86400 300
@ 3600 NS ns.example.
lb 120 A 10.0.0.1
)")});
  Flattener& f = h.make();
  f.set_local_zones(zones, providers({}), {});
  f.set_aliases({alias("shop.example.", "lb.cdn.local.")});
  f.start();
  REQUIRE(h.until_state("shop.example.", "lb.cdn.local.", RRType::A, AliasState::kAddresses,
                        Strings{"192.0.2.9"}));
  CHECK(h.resolver.queries_for("lb.cdn.local.", RRType::A) == 1);
  // 10.0.0.1 was never published, not even in the first table (before any upstream answer).
  for (const AliasTablePtr& table : h.published.tables) {
    const AliasResult* r = table->find(name("shop.example.").wire_view(),
                                       TargetRegistry::key_of(name("lb.cdn.local.")));
    if (r && r->a.state == AliasState::kAddresses) CHECK(addresses(r->a) == Strings{"192.0.2.9"});
  }
}
