// Specification of stored alias settings and persisted flattener results.
#include "storage/alias_store.hpp"

#include <doctest/doctest.h>

#include "storage/database.hpp"
#include "tests/storage/temp_directory.hpp"

namespace apex::storage {
namespace {

Name name(const char* text) {
  return Name::from_text(text).value();
}

std::unique_ptr<Database> with_zone(const std::filesystem::path& path) {
  auto db = Database::open(path, OpenMode::kCreate).value();
  Record soa{name("shop.test."), RRType::SOA, RRClass::IN, 60, {0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0,
                                                                0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5}};
  REQUIRE(db->replace_zone(name("shop.test."), {soa}).ok());
  return db;
}

const std::vector<std::uint8_t> kV4{192, 0, 2, 9};
const std::vector<std::uint8_t> kV6{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};

AliasSettings fallback_only(const char* owner) {
  return {name(owner), {{192, 0, 2, 1}}, {}, std::nullopt};
}

}  // namespace

TEST_CASE("alias settings are set, replaced, listed per zone and deleted") {
  testing::TempDirectory dir;
  auto db = with_zone(dir / "a.db");
  REQUIRE(db->set_alias_settings(name("shop.test."), fallback_only("Shop.Test.")).ok());
  REQUIRE(db->set_alias_settings(name("shop.test."), {name("shop.test."), {kV4}, {kV6}, 443}).ok());
  auto all = db->alias_settings(std::nullopt).value();
  REQUIRE(all.size() == 1);
  CHECK(all[0].owner.to_text() == "shop.test.");
  CHECK(all[0].fallback_a == std::vector<std::vector<std::uint8_t>>{kV4});
  CHECK(all[0].fallback_aaaa == std::vector<std::vector<std::uint8_t>>{kV6});
  CHECK(all[0].health_tcp_port == 443);
  // Replaced whole: no fallback and no health check are stored as none.
  REQUIRE(db->set_alias_settings(name("shop.test."), {name("shop.test."), {}, {kV6}, {}}).ok());
  all = db->alias_settings(name("shop.test.")).value();
  REQUIRE(all.size() == 1);
  CHECK(all[0].fallback_a.empty());
  CHECK(all[0].fallback_aaaa.size() == 1);
  CHECK_FALSE(all[0].health_tcp_port.has_value());
  CHECK(db->alias_settings(name("other.test.")).value().empty());
  CHECK(db->delete_alias_settings(name("shop.test."), name("shop.test.")).value());
  CHECK_FALSE(db->delete_alias_settings(name("shop.test."), name("shop.test.")).value());
  CHECK_FALSE(db->set_alias_settings(name("nope.test."), fallback_only("nope.test.")).ok());
}

TEST_CASE("settings go with their zone") {
  testing::TempDirectory dir;
  auto db = with_zone(dir / "a.db");
  REQUIRE(db->set_alias_settings(name("shop.test."), fallback_only("shop.test.")).ok());
  REQUIRE(db->delete_zone(name("shop.test.")).value());
  CHECK(db->alias_settings(std::nullopt).value().empty());
}

TEST_CASE("flattener results persist per target and family, and survive reopening") {
  testing::TempDirectory dir;
  {
    auto db = with_zone(dir / "a.db");
    AliasTargetRow a;
    a.target = name("LB.cdn.test.");
    a.family = 1;
    a.state = "addresses";
    a.addresses = "192.0.2.10,192.0.2.11";
    a.ttl = 60;
    a.chain = "lb.cdn.test. edge.cdn.test.";
    a.last_success_ms = 1700000000000;
    a.source = "upstream";
    AliasTargetRow aaaa = a;
    aaaa.family = 28;
    aaaa.state = "nodata";
    aaaa.addresses = "";
    aaaa.source = "local";
    REQUIRE(db->save_alias_targets({a, aaaa}).ok());
    a.ttl = 30;
    REQUIRE(db->save_alias_targets({a}).ok());
  }
  auto db = Database::open(dir / "a.db", OpenMode::kExisting).value();
  auto rows = db->alias_targets().value();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].target.to_text() == "lb.cdn.test.");
  CHECK(rows[0].family == 1);
  CHECK(rows[0].ttl == 30);
  CHECK(rows[0].addresses == "192.0.2.10,192.0.2.11");
  CHECK(rows[0].last_success_ms == 1700000000000);
  CHECK(rows[0].source == "upstream");
  CHECK(rows[1].state == "nodata");
  CHECK(rows[1].source == "local");
  REQUIRE(db->forget_alias_target(name("lb.cdn.test.")).ok());
  CHECK(db->alias_targets().value().empty());
}

TEST_CASE("the failure bookkeeping persists: error time, failures in a row, TTL served") {
  testing::TempDirectory dir;
  {
    auto db = with_zone(dir / "a.db");
    AliasTargetRow row;
    row.target = name("lb.cdn.test.");
    row.state = "stale";
    row.addresses = "192.0.2.10";
    row.ttl = 300;
    row.failing_since_ms = 1700000000000;
    row.last_attempt_ms = 1700000040000;
    row.next_refresh_ms = 1700000080000;
    row.last_error = "SERVFAIL from 127.0.0.1:53";
    row.last_error_ms = 1700000040000;
    row.consecutive_failures = 4;
    row.served_ttl = 30;
    REQUIRE(db->save_alias_targets({row}).ok());
  }
  auto db = Database::open(dir / "a.db", OpenMode::kExisting).value();
  auto rows = db->alias_targets().value();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].failing_since_ms == 1700000000000);
  CHECK(rows[0].last_error == "SERVFAIL from 127.0.0.1:53");
  CHECK(rows[0].last_error_ms == 1700000040000);
  CHECK(rows[0].consecutive_failures == 4);
  CHECK(rows[0].ttl == 300);
  CHECK(rows[0].served_ttl == 30);
}

}  // namespace apex::storage
