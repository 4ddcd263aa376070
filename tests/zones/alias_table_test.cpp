// Specification of the ALIAS answer table (ARCHITECTURE.md §5): one result per target, shared by
// its aliases; an alias's own result first; results checked when the table is built.
#include "zones/alias_table.hpp"

#include <doctest/doctest.h>

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
