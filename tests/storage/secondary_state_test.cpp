// Specification of the secondary_state rows apexd records: NOTIFY sent and acknowledged, and
// transfers, per secondary and zone, written in batches and read back for one zone.
#include "storage/secondary_state.hpp"

#include <doctest/doctest.h>

#include "storage/database.hpp"
#include "tests/storage/temp_directory.hpp"
#include "tests/storage/two_zones_fixture.hpp"

namespace apex::storage {
namespace {

using test::name;
using test::soa;
using test::with_zones;

// shop.test. and blog.test., and three secondaries: two on one address, one on IPv6.
std::unique_ptr<Database> with_secondaries(const std::filesystem::path& path) {
  auto db = with_zones(path);
  REQUIRE(db->add_secondary({"192.0.2.53", 53, std::nullopt, true, {}}).ok());
  REQUIRE(db->add_secondary({"192.0.2.53", 5300, std::nullopt, true, {}}).ok());
  REQUIRE(db->add_secondary({"2001:db8::53", 53, std::nullopt, true, {}}).ok());
  return db;
}

void record(Database& db, const std::vector<SecondaryEvent>& events) {
  auto done = db.record_secondary_events(events);
  REQUIRE_MESSAGE(done.ok(), done.error());
}

std::vector<SecondaryState> states(Database& db, const char* apex) {
  auto rows = db.secondary_states(name(apex));
  REQUIRE_MESSAGE(rows.ok(), rows.error());
  return std::move(rows).value();
}

}  // namespace

TEST_CASE("NOTIFY sent and acknowledged are kept per secondary (address and port) and zone") {
  testing::TempDirectory dir;
  auto db = with_secondaries(dir / "t.db");
  CHECK(states(*db, "shop.test.").empty());
  record(*db, {notify_sent("192.0.2.53", 5300, name("Shop.Test."), 7, 1000),
               notify_sent("192.0.2.53", 5300, name("blog.test."), 3, 1001),
               notify_acknowledged("192.0.2.53", 5300, name("shop.test."), 1020)});

  auto shop = states(*db, "shop.test.");
  REQUIRE(shop.size() == 1);
  CHECK(shop[0].address == "192.0.2.53");
  CHECK(shop[0].port == 5300);
  CHECK(shop[0].notify_sent_ms == 1000);
  CHECK(shop[0].notify_serial == 7u);
  CHECK(shop[0].notify_acked_ms == 1020);
  CHECK(shop[0].transfer_ms == 0);
  CHECK_FALSE(shop[0].transfer_serial.has_value());
  auto blog = states(*db, "BLOG.test.");
  REQUIRE(blog.size() == 1);
  CHECK(blog[0].notify_serial == 3u);
  CHECK(blog[0].notify_acked_ms == 0);
}

TEST_CASE("an event updates only its own columns, and the last of a batch wins") {
  testing::TempDirectory dir;
  auto db = with_secondaries(dir / "t.db");
  record(*db, {notify_sent("2001:db8::53", 53, name("shop.test."), 7, 1000),
               notify_acknowledged("2001:db8::53", 53, name("shop.test."), 1010),
               transferred("2001:db8::53", name("shop.test."), 7, 1100)});
  // A later batch: a new serial announced (not yet acknowledged), sent twice.
  record(*db, {notify_sent("2001:db8::53", 53, name("shop.test."), 8, 2000),
               notify_sent("2001:db8::53", 53, name("shop.test."), 8, 3000)});

  auto rows = states(*db, "shop.test.");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].notify_sent_ms == 3000);
  CHECK(rows[0].notify_serial == 8u);
  CHECK(rows[0].notify_acked_ms == 1010);  // acknowledged the earlier NOTIFY only
  CHECK(rows[0].transfer_ms == 1100);
  CHECK(rows[0].transfer_serial == 7u);
}

TEST_CASE("a transfer counts for every secondary at its source address, whatever the port") {
  testing::TempDirectory dir;
  auto db = with_secondaries(dir / "t.db");
  record(*db, {transferred("192.0.2.53", name("shop.test."), 4294967295u, 5000)});

  auto rows = states(*db, "shop.test.");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].port == 53);
  CHECK(rows[1].port == 5300);
  for (const auto& row : rows) {
    CHECK(row.address == "192.0.2.53");
    CHECK(row.transfer_ms == 5000);
    CHECK(row.transfer_serial == 4294967295u);  // the whole serial range (RFC 1982) fits
    CHECK(row.notify_sent_ms == 0);
    CHECK_FALSE(row.notify_serial.has_value());
  }
  CHECK(states(*db, "blog.test.").empty());
}

TEST_CASE("events for unknown secondaries or zones are dropped without failing the batch") {
  testing::TempDirectory dir;
  auto db = with_secondaries(dir / "t.db");
  record(*db, {notify_sent("192.0.2.99", 53, name("shop.test."), 1, 1000),
               notify_sent("192.0.2.53", 5301, name("shop.test."), 1, 1000),
               transferred("198.51.100.1", name("shop.test."), 1, 1000),
               notify_sent("192.0.2.53", 53, name("gone.test."), 1, 1000),
               notify_sent("192.0.2.53", 53, name("shop.test."), 2, 2000)});
  auto rows = states(*db, "shop.test.");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].port == 53);
  CHECK(rows[0].notify_serial == 2u);
  CHECK(states(*db, "gone.test.").empty());
}

TEST_CASE("a batch joins the caller's transaction, and rolls back with it") {
  testing::TempDirectory dir;
  auto db = with_secondaries(dir / "t.db");
  auto failed = db->transaction([&]() -> Status {
    if (auto done =
            db->record_secondary_events({transferred("192.0.2.53", name("shop.test."), 9, 1000)});
        !done)
      return done;
    return Error{"changed my mind"};
  });
  CHECK_FALSE(failed.ok());
  CHECK(states(*db, "shop.test.").empty());
}

TEST_CASE("rows go with their zone or secondary (ON DELETE CASCADE)") {
  testing::TempDirectory dir;
  auto db = with_secondaries(dir / "t.db");
  record(*db, {transferred("192.0.2.53", name("shop.test."), 1, 1000),
               transferred("2001:db8::53", name("shop.test."), 1, 1000),
               transferred("2001:db8::53", name("blog.test."), 1, 1000)});
  REQUIRE(states(*db, "shop.test.").size() == 3);

  REQUIRE(db->delete_secondary("192.0.2.53", 5300).value());
  auto rows = states(*db, "shop.test.");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].address == "192.0.2.53");
  CHECK(rows[0].port == 53);
  CHECK(rows[1].address == "2001:db8::53");

  REQUIRE(db->delete_zone(name("shop.test.")).value());
  CHECK(states(*db, "shop.test.").empty());
  // Re-created, the zone starts with nothing recorded.
  REQUIRE(db->replace_zone(name("shop.test."), {soa("shop.test.")}).ok());
  CHECK(states(*db, "shop.test.").empty());
  CHECK(states(*db, "blog.test.").size() == 1);
}

}  // namespace apex::storage
