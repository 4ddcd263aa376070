// Specification of SOA serial management: increment or date-based (YYYYMMDDnn), RFC 1982
// arithmetic, never backwards, one bump per zone per command.
#include "admin/serial_policy.hpp"

#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {

using namespace std::chrono;
using admin::changed_serial;
using admin::SerialPolicy;

namespace {
constexpr year_month_day kMay1 = year(2024) / 5 / 1;
}

TEST_SUITE("serial policy") {
  TEST_CASE("increment: + 1, wrapping past 2^32 - 1 (RFC 1982 §3.1)") {
    CHECK(changed_serial(SerialPolicy::kIncrement, 7, 7, kMay1) == 8);
    CHECK(changed_serial(SerialPolicy::kIncrement, 0xffffffffu, 0xffffffffu, kMay1) == 0);
  }

  TEST_CASE("a proposed serial ahead of the policy's is kept; one behind is not") {
    CHECK(changed_serial(SerialPolicy::kIncrement, 7, 100, kMay1) == 100);
    CHECK(changed_serial(SerialPolicy::kIncrement, 100, 7, kMay1) == 101);
    // 2^31 ahead is undefined in RFC 1982, so not "greater": the serial just moves by one.
    CHECK(changed_serial(SerialPolicy::kIncrement, 5, 5 + 0x80000000u, kMay1) == 6);
  }

  TEST_CASE("date: today's YYYYMMDD00, then nn counts up; never backwards") {
    CHECK(admin::date_serial(kMay1) == 2024050100u);
    CHECK(admin::initial_serial(SerialPolicy::kDate, kMay1) == 2024050100u);
    CHECK(admin::initial_serial(SerialPolicy::kIncrement, kMay1) == 1);
    CHECK(changed_serial(SerialPolicy::kDate, 7, 7, kMay1) == 2024050100u);
    CHECK(changed_serial(SerialPolicy::kDate, 2023123105, 2023123105, kMay1) == 2024050100u);
    CHECK(changed_serial(SerialPolicy::kDate, 2024050100, 2024050100, kMay1) == 2024050101u);
    CHECK(changed_serial(SerialPolicy::kDate, 2024050199, 2024050199, kMay1) == 2024050200u);
    CHECK(changed_serial(SerialPolicy::kDate, 2030010100, 2030010100, kMay1) == 2030010101u);
  }

  TEST_CASE("the UTC date of a time point") {
    CHECK(admin::utc_date(sys_days(kMay1) + hours(23) + minutes(59)) == kMay1);
  }
}

TEST_SUITE("serial management") {
  TEST_CASE("every change moves the serial once, whatever the command") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "a.example.com", "A", "192.0.2.1"}).code == 0);
    REQUIRE(ctl.run({"record", "set", "a.example.com", "A", "192.0.2.2"}).code == 0);
    REQUIRE(ctl.run({"record", "delete", "a.example.com"}).code == 0);
    CHECK(contains(ctl.snapshot(), " 2024010104 7200 "));
  }

  TEST_CASE("date policy from the configuration") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto config = ctl.write_file("c.toml", "[serial]\npolicy = \"date\"\n");
    auto r =
        ctl.run({"--config", config.string(), "record", "add", "a.example.com", "A", "192.0.2.1"});
    CHECK(r.out ==
          "added a.example.com. 3600 IN A 192.0.2.1\nzone example.com. serial 2024050100\n");
    r = ctl.run({"--config", config.string(), "record", "add", "b.example.com", "A", "192.0.2.1"});
    CHECK(r.out ==
          "added b.example.com. 3600 IN A 192.0.2.1\nzone example.com. serial 2024050101\n");
  }

  TEST_CASE("an import with a lower serial gets stored + 1, with a note") {
    Apexctl ctl;
    ctl.init_with_example();
    // The zone with one more record and its serial lowered to 5.
    std::string zone = std::string(kExampleZone) + "new IN A 192.0.2.50\n";
    zone.replace(zone.find("2024010101"), 10, "5");
    const auto file = ctl.write_file("example.com.zone", zone);
    auto r = ctl.run({"zone", "import", file.string(), "--replace"});
    CHECK(r.code == 0);
    CHECK(r.err ==
          "apexctl: note: example.com.: serial 5 is not above the stored 2024010101; stored as "
          "2024010102\n");
    CHECK(contains(ctl.snapshot(), " 2024010102 7200 "));
  }

  TEST_CASE("an SOA set by hand may jump the serial forward, not back") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "set", "example.com", "SOA",
                      "ns1.example.com hostmaster.example.com 2030010100 7200 3600 "
                      "1209600 300"});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "zone example.com. serial 2030010100\n"));
    // Setting an SOA identical but for a lower serial is no change at all.
    r = ctl.run({"record", "set", "example.com", "SOA",
                 "ns1.example.com hostmaster.example.com 1 7200 3600 1209600 300"});
    CHECK(r.code == 0);
    CHECK(r.out == "zone example.com. unchanged\n");
    CHECK(contains(ctl.snapshot(), " 2030010100 7200 "));
  }
}

}  // namespace apex::testing
