// Specification of the target registry: one entry per distinct target however many aliases
// share it, reconciled with each new set of aliases, and persisted states adopted on restart.
#include "flatten/target_registry.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace apex;
using namespace apex::flatten;

namespace {

Name dns_name(const std::string& text) {
  auto n = Name::from_text(text);
  REQUIRE(n.ok());
  return *n;
}

AliasSpec alias(const std::string& owner, const std::string& target,
                std::optional<std::uint16_t> health_port = std::nullopt) {
  AliasSpec spec;
  spec.owner = dns_name(owner);
  spec.target = dns_name(target);
  spec.ttl = 300;
  spec.health_tcp_port = health_port;
  return spec;
}

std::string key(const std::string& target) {
  return TargetRegistry::key_of(dns_name(target));
}

// A state as a previous run saved it: the A family resolved at time ms.
TargetState persisted(const std::string& target, std::int64_t ms) {
  TargetState state;
  state.target = dns_name(target);
  state.a.state = AliasState::kAddresses;
  state.a.addresses = {{192, 0, 2, 7}};
  state.a.ttl = 60;
  state.a.last_attempt_ms = ms;
  state.a.last_success_ms = ms;
  return state;
}

std::vector<std::string> texts(const std::vector<Name>& names) {
  std::vector<std::string> out;
  for (const Name& n : names) out.push_back(n.to_text());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

TEST_CASE("targets are keyed by their lower-cased name") {
  CHECK(key("CDN.Example.") == key("cdn.example."));
  CHECK(key("cdn.example.") != key("cdn2.example."));
}

TEST_CASE("set_aliases adds new targets and removes those no alias points at any more") {
  TargetRegistry registry;
  auto first = registry.set_aliases({alias("a.test.", "one.cdn."), alias("b.test.", "two.cdn.")});
  CHECK(sorted(first.added) == sorted({key("one.cdn."), key("two.cdn.")}));
  CHECK(first.removed.empty());
  REQUIRE(registry.find(key("one.cdn.")) != nullptr);
  CHECK(registry.find(key("one.cdn."))->state.a.state == AliasState::kPending);
  CHECK(registry.find(key("one.cdn."))->state.target == dns_name("one.cdn."));

  auto second =
      registry.set_aliases({alias("a.test.", "one.cdn."), alias("c.test.", "three.cdn.")});
  CHECK(second.added == std::vector<std::string>{key("three.cdn.")});
  CHECK(texts(second.removed) == std::vector<std::string>{"two.cdn."});
  CHECK(registry.find(key("two.cdn.")) == nullptr);
  CHECK(registry.entries().size() == 2);
  CHECK(registry.alias_count() == 2);
}

TEST_CASE("a target kept across set_aliases keeps its state") {
  TargetRegistry registry;
  registry.set_aliases({alias("a.test.", "one.cdn.")});
  registry.find(key("one.cdn."))->state.a.last_attempt_ms = 1234;
  auto again = registry.set_aliases({alias("a.test.", "one.cdn."), alias("b.test.", "ONE.cdn.")});
  CHECK(again.added.empty());
  CHECK(again.removed.empty());
  CHECK(registry.find(key("one.cdn."))->state.a.last_attempt_ms == 1234);
}

TEST_CASE("a target shared by many aliases is one entry, in any case") {
  TargetRegistry registry;
  auto result = registry.set_aliases(
      {alias("a.test.", "lb.cdn."), alias("b.test.", "LB.cdn."), alias("c.test.", "lb.CDN.")});
  CHECK(result.added == std::vector<std::string>{key("lb.cdn.")});
  CHECK(registry.entries().size() == 1);
  CHECK(registry.alias_count() == 3);
  // The entry is named as the first alias spelled it.
  CHECK(registry.find(key("lb.cdn."))->state.target.to_text() == "lb.cdn.");
  // It goes when the last alias pointing at it goes, not before.
  CHECK(registry.set_aliases({alias("c.test.", "lb.cdn.")}).removed.empty());
  CHECK(texts(registry.set_aliases({}).removed) == std::vector<std::string>{"lb.cdn."});
  CHECK(registry.entries().empty());
}

TEST_CASE("an alias repeated for the same owner and target counts once, the last one wins") {
  TargetRegistry registry;
  AliasSpec first = alias("a.test.", "lb.cdn.");
  AliasSpec last = alias("A.test.", "lb.cdn.");
  last.ttl = 60;
  last.fallback_a = {{192, 0, 2, 9}, {192, 0, 2, 1}, {192, 0, 2, 9}, {10, 0, 0}};
  last.fallback_aaaa = {{192, 0, 2, 1}};
  registry.set_aliases({first, last});
  REQUIRE(registry.alias_count() == 1);
  const AliasSpec& kept = registry.aliases_of(Name()).front();
  CHECK(kept.ttl == 60);
  // Fallbacks of the wrong size are dropped; the rest sorted and distinct.
  CHECK(kept.fallback_a == std::vector<Address>{{192, 0, 2, 1}, {192, 0, 2, 9}});
  CHECK(kept.fallback_aaaa.empty());
}

TEST_CASE("health ports are those of the aliases that point at the target now") {
  TargetRegistry registry;
  registry.set_aliases({alias("a.test.", "lb.cdn.", 443), alias("b.test.", "lb.cdn.", 80),
                        alias("c.test.", "lb.cdn.")});
  CHECK(registry.find(key("lb.cdn."))->health_ports == std::set<std::uint16_t>{80, 443});
  registry.set_aliases({alias("a.test.", "lb.cdn.", 443), alias("c.test.", "lb.cdn.")});
  CHECK(registry.find(key("lb.cdn."))->health_ports == std::set<std::uint16_t>{443});
  registry.set_aliases({alias("c.test.", "lb.cdn.")});
  CHECK(registry.find(key("lb.cdn."))->health_ports.empty());
}

TEST_CASE("find: a target by key, nothing for an unknown one") {
  TargetRegistry registry;
  CHECK(registry.find(key("lb.cdn.")) == nullptr);
  registry.set_aliases({alias("a.test.", "lb.cdn.")});
  TargetEntry* entry = registry.find(key("LB.cdn."));
  REQUIRE(entry != nullptr);
  CHECK(entry == &registry.entries().at(key("lb.cdn.")));
  CHECK(registry.find(key("a.test.")) == nullptr);  // owners are not targets
}

TEST_CASE("adopt before the first set_aliases takes every persisted state") {
  TargetRegistry registry;
  auto adopted = registry.adopt({persisted("one.cdn.", 100), persisted("gone.cdn.", 200)});
  CHECK(sorted(adopted.keys) == sorted({key("one.cdn."), key("gone.cdn.")}));
  CHECK(adopted.unaliased.empty());
  CHECK(registry.find(key("one.cdn."))->state.a.last_attempt_ms == 100);
  // The aliases then decide: a persisted target still pointed at keeps its state and is not
  // new (it is refreshed when its persisted schedule says); one no alias wants is removed.
  auto reconciled = registry.set_aliases({alias("a.test.", "one.cdn.")});
  CHECK(reconciled.added.empty());
  CHECK(texts(reconciled.removed) == std::vector<std::string>{"gone.cdn."});
  CHECK(registry.find(key("one.cdn."))->state.a.last_attempt_ms == 100);
}

TEST_CASE("adopt after set_aliases fills targets without a result, and names the unaliased") {
  TargetRegistry registry;
  registry.set_aliases({alias("a.test.", "Fresh.cdn."), alias("b.test.", "pending.cdn."),
                        alias("c.test.", "flight.cdn.")});
  registry.find(key("fresh.cdn."))->state.a.last_attempt_ms = 5000;  // resolved this run
  registry.find(key("flight.cdn."))->in_flight[1] = true;            // resolving now
  auto adopted = registry.adopt({persisted("fresh.cdn.", 100), persisted("PENDING.cdn.", 200),
                                 persisted("flight.cdn.", 300), persisted("gone.cdn.", 400)});
  CHECK(adopted.keys == std::vector<std::string>{key("pending.cdn.")});
  CHECK(texts(adopted.unaliased) == std::vector<std::string>{"gone.cdn."});
  CHECK(registry.find(key("gone.cdn.")) == nullptr);
  // A result of this run is newer than anything persisted.
  CHECK(registry.find(key("fresh.cdn."))->state.a.last_attempt_ms == 5000);
  CHECK(registry.find(key("flight.cdn."))->state.a.last_attempt_ms == 0);
  // The adopted state keeps the name as the alias spells it.
  const TargetEntry* pending = registry.find(key("pending.cdn."));
  CHECK(pending->state.a.last_attempt_ms == 200);
  CHECK(pending->state.target.to_text() == "pending.cdn.");
  CHECK(pending->aliases == 1);
}

namespace {

ZoneAliases zone(const std::string& apex, std::vector<AliasSpec> aliases) {
  return {dns_name(apex), std::move(aliases)};
}

}  // namespace

TEST_CASE("a zone's aliases are handed over alone; the other zones' stay") {
  TargetRegistry registry;
  auto first = registry.set_zone_aliases({zone("a.test.", {alias("a.test.", "one.cdn.")}),
                                          zone("b.test.", {alias("b.test.", "two.cdn.")})});
  CHECK(sorted(first.added) == sorted({key("one.cdn."), key("two.cdn.")}));
  auto moved = registry.set_zone_aliases({zone("a.test.", {alias("a.test.", "three.cdn.")})});
  CHECK(moved.added == std::vector<std::string>{key("three.cdn.")});
  CHECK(texts(moved.removed) == std::vector<std::string>{"one.cdn."});
  CHECK(registry.find(key("two.cdn.")) != nullptr);  // b.test. was not handed over again
  CHECK(registry.alias_count() == 2);
  CHECK(registry.aliases_of(dns_name("a.test.")).front().target.to_text() == "three.cdn.");
  auto gone = registry.set_zone_aliases({zone("b.test.", {})});
  CHECK(texts(gone.removed) == std::vector<std::string>{"two.cdn."});
  CHECK(registry.aliases_of(dns_name("b.test.")).empty());
  CHECK(registry.alias_count() == 1);
}

TEST_CASE("a target shared by two zones counts their aliases and survives removal from one") {
  TargetRegistry registry;
  registry.set_zone_aliases(
      {zone("a.test.", {alias("a.test.", "lb.cdn."), alias("w.a.test.", "lb.cdn.")}),
       zone("b.test.", {alias("b.test.", "LB.cdn.")})});
  registry.find(key("lb.cdn."))->state.a.last_attempt_ms = 77;
  CHECK(registry.find(key("lb.cdn."))->aliases == 3);
  auto one_left = registry.set_zone_aliases({zone("a.test.", {})});
  CHECK(one_left.removed.empty());
  CHECK(one_left.touched == std::vector<std::string>{key("lb.cdn.")});
  REQUIRE(registry.find(key("lb.cdn.")) != nullptr);
  CHECK(registry.find(key("lb.cdn."))->aliases == 1);
  CHECK(registry.find(key("lb.cdn."))->state.a.last_attempt_ms == 77);  // state kept
  auto none_left = registry.set_zone_aliases({zone("b.test.", {})});
  CHECK(texts(none_left.removed) == std::vector<std::string>{"lb.cdn."});
  CHECK(registry.find(key("lb.cdn.")) == nullptr);
}

TEST_CASE("a target moving between zones handed over together keeps its entry and state") {
  TargetRegistry registry;
  registry.set_zone_aliases({zone("a.test.", {alias("a.test.", "lb.cdn.")})});
  registry.find(key("lb.cdn."))->state.a.last_attempt_ms = 77;
  auto moved = registry.set_zone_aliases(
      {zone("a.test.", {}), zone("b.test.", {alias("b.test.", "lb.cdn.")})});
  CHECK(moved.added.empty());
  CHECK(moved.removed.empty());
  CHECK(registry.find(key("lb.cdn."))->state.a.last_attempt_ms == 77);
}

TEST_CASE("health ports and aliases with settings are counted per zone") {
  TargetRegistry registry;
  AliasSpec with_fallback = alias("f.b.test.", "lb.cdn.");
  with_fallback.fallback_a = {{192, 0, 2, 1}};
  auto first =
      registry.set_zone_aliases({zone("a.test.", {alias("a.test.", "lb.cdn.", 443)}),
                                 zone("b.test.", {alias("b.test.", "lb.cdn.", 443), with_fallback,
                                                  alias("p.b.test.", "lb.cdn.")})});
  CHECK(first.health_ports_changed);
  const TargetEntry* entry = registry.find(key("lb.cdn."));
  CHECK(entry->health_ports == std::set<std::uint16_t>{443});
  CHECK(entry->with_settings.size() == 3);  // the plain alias only counts
  auto fewer = registry.set_zone_aliases({zone("a.test.", {})});
  CHECK(fewer.health_ports_changed);
  CHECK(entry->health_ports == std::set<std::uint16_t>{443});  // b.test. still checks it
  CHECK(entry->with_settings.size() == 2);
  auto plain = registry.set_zone_aliases({zone("b.test.", {alias("b.test.", "lb.cdn.")})});
  CHECK(entry->health_ports.empty());
  CHECK(entry->with_settings.empty());
  CHECK(entry->aliases == 1);
  CHECK_FALSE(registry.set_zone_aliases({zone("c.test.", {alias("c.test.", "lb.cdn.")})})
                  .health_ports_changed);
  CHECK(plain.touched == std::vector<std::string>{key("lb.cdn.")});
}

TEST_CASE("the first hand-over settles persisted states, even with no zones") {
  TargetRegistry registry;
  registry.adopt({persisted("gone.cdn.", 100)});
  auto settled = registry.set_zone_aliases({});
  CHECK(texts(settled.removed) == std::vector<std::string>{"gone.cdn."});
  CHECK(registry.entries().empty());
}
