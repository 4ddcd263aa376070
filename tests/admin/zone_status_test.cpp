// Specification of apexctl zone status: the zone's serial and, per secondary that gets the
// zone, what apexd recorded of NOTIFY and transfers (rows written here through storage, as
// apexd writes them).
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

// 2024-05-01T12:00:00Z in milliseconds since the Unix epoch.
constexpr std::int64_t kNoon = 1714564800000;

Name name(const char* text) {
  return Name::from_text(text).value();
}

void record(const Apexctl& ctl, const std::vector<storage::SecondaryEvent>& events) {
  auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting);
  REQUIRE_MESSAGE(db.ok(), db.error());
  auto done = (*db)->record_secondary_events(events);
  REQUIRE_MESSAGE(done.ok(), done.error());
}

// example.com. (serial 2024010101) with three secondaries that get it, one that does not,
// and what apexd saw of two of them.
void with_secondaries(const Apexctl& ctl) {
  ctl.init_with_example();
  REQUIRE(ctl.run({"zone", "add", "shop.test"}).code == 0);
  REQUIRE(ctl.run({"tsig", "add", "xfr.test"}).code == 0);
  REQUIRE(ctl.run({"secondary", "add", "192.0.2.53", "--key", "xfr.test"}).code == 0);
  REQUIRE(ctl.run({"secondary", "add", "198.51.100.7"}).code == 0);
  REQUIRE(ctl.run({"secondary", "add", "[2001:db8::53]:5300", "--zone", "example.com"}).code == 0);
  REQUIRE(ctl.run({"secondary", "add", "192.0.2.54", "--zone", "shop.test"}).code == 0);
  record(ctl,
         {
             storage::notify_sent("192.0.2.53", 53, name("example.com."), 2024010101, kNoon),
             storage::notify_acknowledged("192.0.2.53", 53, name("example.com."), kNoon + 25),
             storage::transferred("192.0.2.53", name("example.com."), 2024010101, kNoon + 300),
             storage::notify_sent("2001:db8::53", 5300, name("example.com."), 2024010101, kNoon),
             storage::transferred("2001:db8::53", name("example.com."), 2024010100, kNoon - 60000),
             storage::transferred("192.0.2.54", name("shop.test."), 1, kNoon),
         });
}

}  // namespace

TEST_SUITE("zone status") {
  TEST_CASE("text: the serial, then each secondary that gets the zone and what it has") {
    Apexctl ctl;
    with_secondaries(ctl);
    const std::string before = ctl.everything();
    auto r = ctl.run({"zone", "status", "Example.COM"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out ==
          "zone    example.com.\n"
          "serial  2024010101\n"
          "\n"
          "192.0.2.53:53  key xfr.test.\n"
          "  notify sent   2024-05-01T12:00:00.000Z  serial 2024010101\n"
          "  acknowledged  2024-05-01T12:00:00.025Z\n"
          "  transferred   2024-05-01T12:00:00.300Z  serial 2024010101\n"
          "  status        current\n"
          "\n"
          "198.51.100.7:53  key none\n"
          "  notify sent   never\n"
          "  acknowledged  never\n"
          "  transferred   never\n"
          "  status        behind (never transferred the zone)\n"
          "\n"
          "[2001:db8::53]:5300  key none\n"
          "  notify sent   2024-05-01T12:00:00.000Z  serial 2024010101\n"
          "  acknowledged  not yet\n"
          "  transferred   2024-05-01T11:59:00.000Z  serial 2024010100\n"
          "  status        behind (has serial 2024010100)\n");
    CHECK(ctl.everything() == before);  // it only reads
  }

  TEST_CASE("JSON: one object, null for what never happened") {
    Apexctl ctl;
    with_secondaries(ctl);
    auto r = ctl.run({"zone", "status", "example.com", "--json"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "{\"zone\": \"example.com.\", \"serial\": 2024010101, \"secondaries\": ["
          "{\"address\": \"192.0.2.53\", \"port\": 53, \"key\": \"xfr.test.\", "
          "\"notify\": {\"sent\": \"2024-05-01T12:00:00.000Z\", \"serial\": 2024010101, "
          "\"acknowledged\": \"2024-05-01T12:00:00.025Z\"}, "
          "\"transfer\": {\"time\": \"2024-05-01T12:00:00.300Z\", \"serial\": 2024010101}, "
          "\"behind\": false}, "
          "{\"address\": \"198.51.100.7\", \"port\": 53, \"key\": null, "
          "\"notify\": {\"sent\": null, \"serial\": null, \"acknowledged\": null}, "
          "\"transfer\": {\"time\": null, \"serial\": null}, \"behind\": true}, "
          "{\"address\": \"2001:db8::53\", \"port\": 5300, \"key\": null, "
          "\"notify\": {\"sent\": \"2024-05-01T12:00:00.000Z\", \"serial\": 2024010101, "
          "\"acknowledged\": null}, "
          "\"transfer\": {\"time\": \"2024-05-01T11:59:00.000Z\", \"serial\": 2024010100}, "
          "\"behind\": true}]}\n");
  }

  TEST_CASE("a change to the zone puts a secondary behind until it transfers the new serial") {
    Apexctl ctl;
    with_secondaries(ctl);
    REQUIRE(ctl.run({"record", "add", "new.example.com", "A", "192.0.2.99"}).code == 0);
    auto r = ctl.run({"zone", "status", "example.com"});
    CHECK(contains(r.out, "serial  2024010102\n"));
    CHECK(contains(r.out,
                   "192.0.2.53:53  key xfr.test.\n"
                   "  notify sent   2024-05-01T12:00:00.000Z  serial 2024010101\n"
                   "  acknowledged  2024-05-01T12:00:00.025Z\n"
                   "  transferred   2024-05-01T12:00:00.300Z  serial 2024010101\n"
                   "  status        behind (has serial 2024010101)\n"));
    record(ctl,
           {storage::notify_sent("192.0.2.53", 53, name("example.com."), 2024010102, kNoon + 1000),
            storage::transferred("192.0.2.53", name("example.com."), 2024010102, kNoon + 1200)});
    r = ctl.run({"zone", "status", "example.com"});
    CHECK(contains(r.out,
                   "  notify sent   2024-05-01T12:00:01.000Z  serial 2024010102\n"
                   "  acknowledged  2024-05-01T12:00:00.025Z  (the NOTIFY sent since is not yet "
                   "acknowledged)\n"
                   "  transferred   2024-05-01T12:00:01.200Z  serial 2024010102\n"
                   "  status        current\n"));
  }

  TEST_CASE("a zone no secondary gets says so; in JSON the list is empty") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"zone", "status", "example.com"});
    CHECK(r.code == 0);
    CHECK(r.out == "zone    example.com.\nserial  2024010101\nno secondary gets this zone\n");
    r = ctl.run({"zone", "status", "example.com", "--json"});
    CHECK(r.out == "{\"zone\": \"example.com.\", \"serial\": 2024010101, \"secondaries\": []}\n");
  }

  TEST_CASE("an unknown zone is refused (exit 1), bad invocations are usage errors (exit 2)") {
    Apexctl ctl;
    with_secondaries(ctl);
    CHECK(ctl.refused({"zone", "status", "nope.example"}) ==
          "apexctl: zone nope.example. is not in the database\n");
    // Below a zone is not the zone.
    CHECK(ctl.refused({"zone", "status", "www.example.com", "--json"}) ==
          "apexctl: zone www.example.com. is not in the database\n");
    CHECK(ctl.refused({"zone", "status", "bad..name"}).starts_with("apexctl: invalid name"));
    CHECK(ctl.run({"zone", "status"}).code == 2);
    CHECK(ctl.run({"zone", "status", "example.com", "shop.test"}).code == 2);
    CHECK(ctl.run({"zone", "status", "example.com", "--verbose"}).code == 2);
  }
}

}  // namespace apex::testing
