// Specification of the ALIAS answer table (ARCHITECTURE.md §5): one result per target, shared by
// its aliases; an alias's own result first; results checked when the table is built.
#include "zones/alias_table.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace apex;

namespace {

using Rdatas = std::vector<std::vector<std::uint8_t>>;

Name name(std::string_view text) {
  return *Name::from_text(text);
}
std::string key(std::string_view text) {
  return std::string(name(text).lowercased().wire_view());
}
std::string wire(std::string_view text) {
  return std::string(name(text).wire_view());
}

AliasResult v4_only(std::uint8_t last, std::uint32_t ttl = 300) {
  Rdatas a{{192, 0, 2, last}};
  return {AliasFamilyResult::with_addresses(RRType::A, ttl, a), AliasFamilyResult::no_data()};
}

AliasTablePtr build(std::vector<AliasTargetEntry> targets,
                    std::vector<AliasOwnerEntry> owners = {}) {
  auto table = AliasTable::build(std::move(targets), std::move(owners));
  REQUIRE_MESSAGE(table.ok(), (table.ok() ? "" : table.error()));
  return *table;
}

std::string build_error(std::vector<AliasTargetEntry> targets,
                        std::vector<AliasOwnerEntry> owners = {}) {
  auto table = AliasTable::build(std::move(targets), std::move(owners));
  return table.ok() ? "" : table.error();
}

// The last octet of the first A address in a result.
int a_last_octet(const AliasResult* r) {
  if (!r || r->a.state != AliasState::kAddresses) return -1;
  return r->a.addresses.rdata[5];
}

}  // namespace

TEST_CASE("an empty table has no result for any alias: every alias is pending") {
  AliasTable table;
  CHECK(table.find(wire("shop.example."), key("lb.example.net.")) == nullptr);
  CHECK(table.target_count() == 0);
  CHECK(AliasFamilyResult{}.state == AliasState::kPending);
}

TEST_CASE("with_addresses packs the records like zone data") {
  Rdatas a{{192, 0, 2, 1}, {192, 0, 2, 2}};
  auto r = AliasFamilyResult::with_addresses(RRType::A, 60, a, true);
  CHECK(r.state == AliasState::kAddresses);
  CHECK(r.stale);
  CHECK(r.addresses.type == RRType::A);
  CHECK(r.addresses.ttl == 60);
  CHECK(r.addresses.count == 2);
  CHECK(r.addresses.rdata == std::vector<std::uint8_t>{0, 4, 192, 0, 2, 1, 0, 4, 192, 0, 2, 2});
}

TEST_CASE("a target's result is shared by every alias that points at it, whatever the case") {
  auto table = build({{name("LB.Example.NET."), v4_only(7)}});
  CHECK(table->target_count() == 1);
  CHECK(a_last_octet(table->find(wire("shop.example."), key("lb.example.net."))) == 7);
  CHECK(a_last_octet(table->find(wire("Other.Example.ORG."), key("lb.example.net."))) == 7);
  CHECK(a_last_octet(table->find_target(key("lb.example.net."))) == 7);
  CHECK(table->find(wire("shop.example."), key("elsewhere.example.net.")) == nullptr);
}

TEST_CASE("an alias's own result is preferred over its target's, for that alias only") {
  auto table = build({{name("lb.example.net."), v4_only(7)}},
                     {{name("Shop.example."), name("lb.example.net."), v4_only(99)}});
  CHECK(table->owner_count() == 1);
  CHECK(a_last_octet(table->find(wire("shop.EXAMPLE."), key("lb.example.net."))) == 99);
  CHECK(a_last_octet(table->find(wire("other.example."), key("lb.example.net."))) == 7);
  // Re-pointed at another target in the zone data: the old owner result no longer applies.
  CHECK(table->find(wire("shop.example."), key("new.example.net.")) == nullptr);
}

TEST_CASE("owner results without a target result leave the other aliases pending") {
  auto table = build({}, {{name("shop.example."), name("lb.example.net."), v4_only(99)}});
  CHECK(a_last_octet(table->find(wire("shop.example."), key("lb.example.net."))) == 99);
  const AliasResult* other = table->find(wire("other.example."), key("lb.example.net."));
  REQUIRE(other);
  CHECK(other->a.state == AliasState::kPending);
  CHECK(other->aaaa.state == AliasState::kPending);
}

TEST_CASE("many owner results under one target are each found") {
  std::vector<AliasOwnerEntry> owners;
  for (int i = 0; i < 200; ++i)
    owners.push_back({name("o" + std::to_string(i) + ".example."), name("lb.example.net."),
                      v4_only(static_cast<std::uint8_t>(i))});
  auto table = build({{name("lb.example.net."), v4_only(250)}}, std::move(owners));
  for (int i = 0; i < 200; ++i)
    CHECK(a_last_octet(table->find(wire("O" + std::to_string(i) + ".Example."),
                                   key("lb.example.net."))) == i);
  CHECK(a_last_octet(table->find(wire("o200.example."), key("lb.example.net."))) == 250);
  CHECK(a_last_octet(table->find(wire("a.example."), key("lb.example.net."))) == 250);
  CHECK(a_last_octet(table->find(wire("z.example."), key("lb.example.net."))) == 250);
}

TEST_CASE("results are checked when the table is built") {
  Rdatas v4{{192, 0, 2, 1}}, v6(1, std::vector<std::uint8_t>(16, 0)), bad{{1, 2, 3}};
  auto a = [](const Rdatas& r, std::uint32_t ttl = 60) {
    return AliasFamilyResult::with_addresses(RRType::A, ttl, r);
  };
  auto none = AliasFamilyResult::no_data();
  CHECK(build_error({{name("t.example."), {a(v4), none}}, {name("T.example."), {a(v4), none}}}) ==
        "ALIAS target T.example.: more than one result");
  CHECK(build_error({{name("t.example."), {a(bad), none}}}) ==
        "ALIAS target t.example. A: a A RDATA of 3 octets");
  CHECK(build_error({{name("t.example."), {a(v6), none}}}) ==
        "ALIAS target t.example. A: a A RDATA of 16 octets");
  CHECK(build_error({{name("t.example."), {none, a(v4)}}}) ==
        "ALIAS target t.example. AAAA: addresses are A");
  CHECK(build_error({{name("t.example."), {a({}), none}}}) ==
        "ALIAS target t.example. A: no addresses");
  CHECK(build_error({{name("t.example."), {a(v4, 0x80000000u), none}}}) ==
        "ALIAS target t.example. A: TTL 2147483648 is above 2147483647");
  AliasFamilyResult odd = a(v4);
  odd.state = AliasState::kFailed;
  CHECK(build_error({{name("t.example."), {odd, none}}}) ==
        "ALIAS target t.example. A: addresses given for state failed");
  CHECK(build_error({}, {{name("o.example."), name("t.example."), {a(v4), none}},
                         {name("O.example."), name("t.example."), {a(v4), none}}}) ==
        "ALIAS o.example.: more than one owner result for one target");
  CHECK(build_error({}, {{name("o.example."), name("t.example."), {a(bad), none}}}) ==
        "ALIAS o.example. -> t.example. A: a A RDATA of 3 octets");
  CHECK(build_error({{name("t.example."),
                      {a(v4), AliasFamilyResult::with_addresses(RRType::AAAA, 60, v6)}}}) == "");
}

TEST_CASE("a table with changes replaces what it held for the changed targets only") {
  auto before = build({{name("one.example."), v4_only(1)}, {name("two.example."), v4_only(2)}},
                      {{name("o.example."), name("one.example."), v4_only(9)}});
  auto after = before->with_changes(
      {{name("ONE.example."), v4_only(3), {}}, {name("three.example."), v4_only(4), {}}});
  REQUIRE(after.ok());
  const AliasTable& t = **after;
  CHECK(a_last_octet(t.find(wire("o.example."), key("one.example."))) == 3);  // owner gone
  CHECK(a_last_octet(t.find_target(key("two.example."))) == 2);
  CHECK(a_last_octet(t.find_target(key("three.example."))) == 4);
  CHECK(t.target_count() == 3);
  CHECK(t.owner_count() == 0);
  // The previous table is unchanged: workers may still answer from it.
  CHECK(a_last_octet(before->find(wire("o.example."), key("one.example."))) == 9);
  CHECK(before->target_count() == 2);
}

TEST_CASE(
    "a change with no result and no owners removes the target; owners alone leave it pending") {
  auto before = build({{name("one.example."), v4_only(1)}, {name("two.example."), v4_only(2)}});
  auto after = before->with_changes({{name("one.example."), std::nullopt, {}},
                                     {name("two.example."),
                                      std::nullopt,
                                      {{name("o.example."), name("two.example."), v4_only(7)}}}});
  REQUIRE(after.ok());
  CHECK((*after)->find_target(key("one.example.")) == nullptr);
  CHECK((*after)->find_target(key("two.example."))->a.state == AliasState::kPending);
  CHECK(a_last_octet((*after)->find(wire("O.example."), key("two.example."))) == 7);
  CHECK((*after)->target_count() == 1);
  CHECK((*after)->owner_count() == 1);
}

TEST_CASE("a change rebuilds only the shard its target hashes to; the others are shared") {
  std::vector<AliasTargetEntry> targets;
  for (int i = 0; i < 5000; ++i)
    targets.push_back({name("t" + std::to_string(i) + ".example."), v4_only(1)});
  auto before = build(std::move(targets));
  auto after = before->with_changes({{name("t17.example."), v4_only(2), {}}});
  REQUIRE(after.ok());
  CHECK((*after)->shared_shards(*before) == AliasTable::kShards - 1);
  CHECK(a_last_octet((*after)->find_target(key("t17.example."))) == 2);
  CHECK(a_last_octet((*after)->find_target(key("t18.example."))) == 1);
}

TEST_CASE("changes are checked like a built table, and refused whole") {
  auto before = build({{name("one.example."), v4_only(1)}});
  Rdatas bad{{1, 2, 3}};
  AliasResult broken{AliasFamilyResult::with_addresses(RRType::A, 60, bad),
                     AliasFamilyResult::no_data()};
  auto refused = before->with_changes({{name("one.example."), broken, {}}});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error() == "ALIAS target one.example. A: a A RDATA of 3 octets");
  auto twice = before->with_changes(
      {{name("x.example."), v4_only(2), {}}, {name("X.example."), v4_only(3), {}}});
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error() == "ALIAS target X.example.: more than one result");
  auto elsewhere = before->with_changes(
      {{name("x.example."), v4_only(2), {{name("o.example."), name("y.example."), v4_only(3)}}}});
  REQUIRE_FALSE(elsewhere.ok());
  CHECK(elsewhere.error() ==
        "ALIAS o.example. -> y.example.: an owner result under another target");
  CHECK(a_last_octet(before->find_target(key("one.example."))) == 1);
}

TEST_CASE("a table derived by random changes equals the table built from scratch") {
  // The model: per target, its result (or none) and its owners' results.
  struct Entry {
    std::optional<AliasResult> result;
    std::map<std::string, AliasResult> owners;  // by owner text
  };
  std::map<std::string, Entry> model;
  std::mt19937 rng(20261205);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  AliasTablePtr table = std::make_shared<const AliasTable>();
  for (int round = 0; round < 200; ++round) {
    std::vector<AliasTargetChange> changes;
    std::set<std::string> touched;
    for (int c = 1 + pick(20); c > 0; --c) {
      std::string target = "t" + std::to_string(pick(300)) + ".example.";
      if (!touched.insert(target).second) continue;
      Entry entry;
      if (pick(4) != 0) entry.result = v4_only(static_cast<std::uint8_t>(pick(250)));
      for (int o = pick(3); o > 0; --o)
        entry.owners["o" + std::to_string(pick(50)) + ".example."] =
            v4_only(static_cast<std::uint8_t>(pick(250)));
      AliasTargetChange change{name(target), entry.result, {}};
      for (const auto& [owner, result] : entry.owners)
        change.owners.push_back({name(owner), name(target), result});
      if (!entry.result && entry.owners.empty())
        model.erase(target);
      else
        model[target] = entry;
      changes.push_back(std::move(change));
    }
    auto next = table->with_changes(std::move(changes));
    REQUIRE(next.ok());
    table = *next;
  }
  std::vector<AliasTargetEntry> targets;
  std::vector<AliasOwnerEntry> owners;
  for (const auto& [target, entry] : model) {
    if (entry.result) targets.push_back({name(target), *entry.result});
    for (const auto& [owner, result] : entry.owners)
      owners.push_back({name(owner), name(target), result});
  }
  auto scratch = build(std::move(targets), std::move(owners));
  CHECK(*table == *scratch);
  CHECK(table->target_count() == model.size());
  // And the comparison itself notices a difference.
  auto differs = table->with_changes({{name(model.begin()->first), v4_only(251), {}}});
  REQUIRE(differs.ok());
  CHECK_FALSE(**differs == *scratch);
}

TEST_CASE("changed_targets names the targets whose entries differ between two tables") {
  auto before = build({{name("one.example."), v4_only(1)},
                       {name("two.example."), v4_only(2)},
                       {name("three.example."), v4_only(3)}},
                      {{name("o.example."), name("three.example."), v4_only(9)}});
  CHECK(before->changed_targets(*before).empty());
  auto after = before->with_changes({{name("one.example."), v4_only(5), {}},    // new result
                                     {name("two.example."), v4_only(2), {}},    // the same
                                     {name("three.example."), v4_only(3), {}},  // owner gone
                                     {name("four.example."), v4_only(4), {}},   // new target
                                     {name("none.example."), std::nullopt, {}}});
  REQUIRE(after.ok());
  auto removed = (*after)->with_changes({{name("two.example."), std::nullopt, {}}});
  REQUIRE(removed.ok());
  auto keys = (*after)->changed_targets(*before);
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> expected{key("one.example."), key("three.example."),
                                    key("four.example.")};
  std::sort(expected.begin(), expected.end());
  CHECK(keys == expected);
  CHECK((*removed)->changed_targets(**after) == std::vector<std::string>{key("two.example.")});
  // Tables built apart share no shard, and are compared entry by entry all the same.
  auto rebuilt = build({{name("one.example."), v4_only(1)},
                        {name("two.example."), v4_only(2)},
                        {name("three.example."), v4_only(3)}},
                       {{name("o.example."), name("three.example."), v4_only(9)}});
  CHECK(rebuilt->changed_targets(*before).empty());
}
