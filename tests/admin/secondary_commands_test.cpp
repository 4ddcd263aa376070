// Specification of apexctl secondary add, list and delete, and of how the change log shows
// transfer-settings changes.
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {

TEST_SUITE("secondary add") {
  TEST_CASE("a secondary gets all zones by default, or the zones given, with its key") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"zone", "add", "shop.test"}).code == 0);
    REQUIRE(ctl.run({"tsig", "add", "xfr.test"}).code == 0);
    auto r = ctl.run({"secondary", "add", "[2001:DB8:0::53]:5300", "--key", "XFR.test", "--zone",
                      "shop.test", "--zone", "Example.com.", "--zone", "shop.test."});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out ==
          "added secondary [2001:db8::53]:5300 key xfr.test. zones example.com.,shop.test.\n");
    r = ctl.run({"secondary", "add", "192.0.2.53"});
    CHECK(r.code == 0);
    CHECK(r.out == "added secondary 192.0.2.53:53 key none zones all\n");
    CHECK(r.err ==
          "apexctl: note: 192.0.2.53:53 has no TSIG key: its transfers and NOTIFY are not "
          "authenticated\n");
    CHECK(contains(ctl.transfer_snapshot(),
                   "secondary 192.0.2.53:53 - all\n"
                   "secondary [2001:db8::53]:5300 xfr.test. example.com. shop.test.\n"));
    // The same address on another port is another secondary.
    CHECK(ctl.run({"secondary", "add", "192.0.2.53:5353"}).code == 0);
    CHECK(contains(ctl.change_log(),
                   "- | tester | secondary add\n"
                   "+secondary [2001:db8::53]:5300 key xfr.test. zones example.com.,shop.test.\n"
                   "- | tester | secondary add\n"
                   "+secondary 192.0.2.53:53 key none zones all\n"));
  }

  TEST_CASE("bad addresses, unknown keys and zones, and duplicates are refused") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"secondary", "add", "192.0.2.53"}).code == 0);
    CHECK(ctl.refused({"secondary", "add", "192.0.2.53:53"}) ==
          "apexctl: secondary 192.0.2.53:53 already exists (delete it to change it)\n");
    CHECK(ctl.refused({"secondary", "add", "192.0.2.54", "--key", "nope.test"}) ==
          "apexctl: TSIG key nope.test. is not in the database (add it with 'apexctl tsig add "
          "nope.test.')\n");
    CHECK(ctl.refused({"secondary", "add", "192.0.2.54", "--zone", "www.example.com"}) ==
          "apexctl: zone www.example.com. is not in the database\n");
    CHECK(ctl.refused({"secondary", "add", "192.0.2.54", "--zone", "bad..zone"})
              .starts_with("apexctl: invalid name"));
    CHECK(ctl.refused({"secondary", "add", "ns1.example.net"}) ==
          "apexctl: invalid secondary 'ns1.example.net': 'ns1.example.net' is not an IPv4 "
          "address\n");
    CHECK(ctl.refused({"secondary", "add", "2001:db8::53"}) ==
          "apexctl: invalid secondary '2001:db8::53': write an IPv6 address in brackets: "
          "[2001:db8::53]:53\n");
    CHECK(ctl.refused({"secondary", "add", "[2001:db8::53"}) ==
          "apexctl: invalid secondary '[2001:db8::53': missing ']' after the IPv6 address\n");
    CHECK(ctl.refused({"secondary", "add", "[2001:db8::53]53"}) ==
          "apexctl: invalid secondary '[2001:db8::53]53': expected ':PORT' after the address\n");
    CHECK(ctl.refused({"secondary", "add", "192.0.2.54:0"}) ==
          "apexctl: invalid secondary '192.0.2.54:0': port '0' is not a number from 1 to "
          "65535\n");
    CHECK(ctl.refused({"secondary", "add", "192.0.2.54:65536"}).starts_with("apexctl: invalid"));
    CHECK(ctl.refused({"secondary", "add", "0.0.0.0"}) ==
          "apexctl: invalid secondary '0.0.0.0': the unspecified address 0.0.0.0 is not a "
          "secondary\n");
    CHECK(ctl.refused({"secondary", "add", "[::]:53"}).starts_with("apexctl: invalid"));
    auto r = ctl.run({"secondary", "add"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: expected one ADDR[:PORT]\nTry 'apexctl secondary add --help'.\n");
    CHECK(ctl.run({"secondary", "add", "192.0.2.54", "--zone"}).code == 2);
  }
}

TEST_SUITE("secondary list and delete") {
  TEST_CASE("list shows each secondary's key and zones, as text and JSON") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.run({"secondary", "list"}).out.empty());
    CHECK(ctl.run({"secondary", "list", "--json"}).out == "[]\n");
    REQUIRE(ctl.run({"tsig", "add", "xfr.test"}).code == 0);
    REQUIRE(ctl.run({"secondary", "add", "192.0.2.53", "--key", "xfr.test"}).code == 0);
    REQUIRE(ctl.run({"secondary", "add", "[2001:db8::53]:5300", "--zone", "example.com"}).code ==
            0);
    auto r = ctl.run({"secondary", "list"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "ADDRESS       PORT  KEY        ZONES\n"
          "192.0.2.53    53    xfr.test.  all\n"
          "2001:db8::53  5300  -          example.com.\n");
    r = ctl.run({"secondary", "list", "--json"});
    CHECK(r.out ==
          "[\n"
          "  {\"address\": \"192.0.2.53\", \"port\": 53, \"key\": \"xfr.test.\", \"all_zones\": "
          "true, \"zones\": []},\n"
          "  {\"address\": \"2001:db8::53\", \"port\": 5300, \"key\": null, \"all_zones\": "
          "false, \"zones\": [\"example.com.\"]}\n"
          "]\n");
    // A deleted zone leaves the list; the secondary does not get every zone instead.
    REQUIRE(ctl.run({"zone", "delete", "example.com"}).code == 0);
    CHECK(contains(ctl.run({"secondary", "list"}).out, "2001:db8::53  5300  -          none\n"));
  }

  TEST_CASE("delete removes the secondary and logs it; an unknown one is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"secondary", "add", "[2001:db8::53]:5300", "--zone", "example.com"}).code ==
            0);
    CHECK(ctl.refused({"secondary", "delete", "[2001:db8::53]"}) ==
          "apexctl: secondary [2001:db8::53]:53 is not in the database\n");
    CHECK(ctl.refused({"secondary", "delete", "[2001:db8::53"}).starts_with("apexctl: invalid"));
    auto r = ctl.run({"secondary", "delete", "[2001:0db8::0053]:5300"});
    CHECK(r.code == 0);
    CHECK(r.out == "deleted secondary [2001:db8::53]:5300\n");
    CHECK(ctl.transfer_snapshot().empty());
    CHECK(contains(ctl.change_log(),
                   "- | tester | secondary delete\n"
                   "-secondary [2001:db8::53]:5300 key none zones "
                   "example.com.\n"));
    CHECK(ctl.run({"secondary", "delete"}).code == 2);
  }
}

TEST_SUITE("log") {
  TEST_CASE("transfer-settings changes show without a zone, and not under a zone") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"secondary", "add", "192.0.2.53"}).code == 0);
    auto r = ctl.run({"log", "--limit", "1"});
    CHECK(r.code == 0);
    CHECK(contains(r.out,
                   "  -  tester  secondary add\n    +secondary 192.0.2.53:53 key none "
                   "zones all\n"));
    r = ctl.run({"log", "--limit", "1", "--json"});
    CHECK(contains(r.out,
                   "\"zone\": null, \"actor\": \"tester\", \"operation\": \"secondary "
                   "add\""));
    CHECK_FALSE(contains(ctl.run({"log", "example.com"}).out, "secondary add"));
  }
}

}  // namespace apex::testing
