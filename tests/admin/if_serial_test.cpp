// Specification of --if-serial N: a change command that targets one zone is refused, changing
// nothing, unless the zone's stored SOA serial is N (optimistic concurrency for scripts).
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

// The example zone's serial, as stored by init_with_example().
constexpr const char* kSerial = "2024010101";

const std::string kStale =
    "apexctl: zone example.com. has serial 2024010101, not 7 (--if-serial): it changed since "
    "it was read\n";

}  // namespace

TEST_SUITE("--if-serial") {
  TEST_CASE("the stored serial lets the change through; another is refused, nothing changed") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "add", "ftp.example.com", "A", "192.0.2.30", "--if-serial",
                       "7"}) == kStale);
    auto r =
        ctl.run({"record", "add", "ftp.example.com", "A", "192.0.2.30", "--if-serial", kSerial});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "zone example.com. serial 2024010102\n"));
    // The serial it read is now stale.
    CHECK(contains(ctl.refused({"record", "delete", "ftp.example.com", "--if-serial", kSerial}),
                   "has serial 2024010102, not 2024010101"));
  }

  TEST_CASE("every change command of one zone takes it") {
    const std::vector<std::vector<std::string>> commands = {
        {"record", "add", "ftp.example.com", "A", "192.0.2.30"},
        {"record", "set", "www.example.com", "A", "192.0.2.11"},
        {"record", "delete", "www.example.com", "AAAA"},
        {"alias", "set", "shop.example.com", "lb.cdn.example.net"},
        {"zone", "delete", "example.com"},
        {"zone", "provider", "example.com", "on"},
    };
    for (const auto& command : commands) {
      CAPTURE(command[0] + " " + command[1]);
      Apexctl ctl;
      ctl.init_with_example();
      auto with_stale = command;
      with_stale.insert(with_stale.end(), {"--if-serial=7"});
      CHECK(ctl.refused(with_stale) == kStale);
      auto with_current = command;
      with_current.insert(with_current.end(), {"--if-serial", kSerial});
      CHECK(ctl.run(with_current).code == 0);
    }
  }

  TEST_CASE("alias delete checks the serial of the alias's zone") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"alias", "set", "shop.example.com", "lb.cdn.example.net"}).code == 0);
    CHECK(contains(ctl.refused({"alias", "delete", "shop.example.com", "--if-serial", kSerial}),
                   "has serial 2024010102, not 2024010101"));
    CHECK(ctl.run({"alias", "delete", "shop.example.com", "--if-serial", "2024010102"}).code == 0);
  }

  TEST_CASE("zone import --replace of one zone checks the stored serial") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto file =
        ctl.write_file("example.com.zone", std::string(kExampleZone) + "new IN A 192.0.2.50\n");
    CHECK(ctl.refused({"zone", "import", file.string(), "--replace", "--if-serial", "7"}) ==
          kStale);
    CHECK(ctl.run({"zone", "import", file.string(), "--replace", "--if-serial", kSerial}).code ==
          0);
  }

  TEST_CASE("a zone that does not exist has no serial to match") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"zone", "add", "new.example", "--if-serial", "1"}) ==
          "apexctl: zone new.example. is not in the database (--if-serial 1)\n");
  }

  TEST_CASE("a command that reaches a second zone is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    ctl.write_file("zones/a.test.zone",
                   "$ORIGIN a.test.\n@ 300 IN SOA ns1 h 1 2 3 4 5\n@ 300 IN NS ns1\n"
                   "ns1 300 IN A 192.0.2.1\n");
    REQUIRE(ctl.run({"zone", "import", ctl.path("zones").string()}).code == 0);
    ctl.write_file("zones/example.com.zone", kExampleZone);
    // a.test. (first by name) has serial 1; example.com. is a second zone.
    CHECK(ctl.refused(
              {"zone", "import", ctl.path("zones").string(), "--replace", "--if-serial", "1"}) ==
          "apexctl: --if-serial 1 applies to one zone, and this command changes a.test. and "
          "example.com.\n");
  }

  TEST_CASE("in apply, each line may carry its own condition") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"zone", "add", "shop.test"}).code == 0);
    const auto stale =
        ctl.write_file("stale.txt",
                       "record add a.example.com A 192.0.2.1 --if-serial 2024010101\n"
                       "record add a.shop.test A 192.0.2.1 --if-serial 9\n");
    CHECK(ctl.refused({"apply", stale.string()}) ==
          "apexctl: " + stale.string() +
              ":2: zone shop.test. has serial 1, not 9 (--if-serial): it changed since it was "
              "read\n");
    const auto fresh =
        ctl.write_file("fresh.txt",
                       "record add a.example.com A 192.0.2.1 --if-serial 2024010101\n"
                       "record add a.shop.test A 192.0.2.1 --if-serial 1\n"
                       "record add b.shop.test A 192.0.2.2 --if-serial 1\n");
    CHECK(ctl.run({"apply", fresh.string()}).code == 0);
  }

  TEST_CASE("a value that is not a serial is refused; a missing one is a usage error") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "delete", "www.example.com", "--if-serial", "4294967296"}) ==
          "apexctl: invalid --if-serial '4294967296': expected a serial from 0 to 4294967295\n");
    CHECK(ctl.refused({"record", "delete", "www.example.com", "--if-serial", "x"}) ==
          "apexctl: invalid --if-serial 'x': expected a serial from 0 to 4294967295\n");
    const std::string before = ctl.everything();
    auto r = ctl.run({"record", "delete", "www.example.com", "--if-serial"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "option '--if-serial' needs a value"));
    CHECK(ctl.everything() == before);
  }

  TEST_CASE("after '--' it is RDATA, not the option") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "add", "t.example.com", "TXT", "--", "--if-serial"});
    CHECK(r.code == 0);
    CHECK(ctl.run({"record", "list", "example.com", "t.example.com"}).out ==
          "t.example.com. 3600 IN TXT \"--if-serial\"\n");
  }
}

}  // namespace apex::testing
