// Specification of apexctl zone add (the zone template), zone list filters and zone show.
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {

TEST_SUITE("zone add") {
  TEST_CASE("creates SOA and NS from the built-in template, with a note for ns1's address") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    auto r = ctl.run({"zone", "add", "Shop.Test"});
    CHECK(r.code == 0);
    CHECK(r.out == "added zone shop.test. with serial 1\n");
    CHECK(r.err ==
          "apexctl: note: shop.test. NS ns1.shop.test.: ns1.shop.test. has no A or AAAA record "
          "in this zone\n");
    CHECK(ctl.snapshot() ==
          "zone shop.test.\n"
          "shop.test. 3600 NS ns1.shop.test.\n"
          "shop.test. 3600 SOA ns1.shop.test. hostmaster.shop.test. 1 7200 3600 1209600 300\n");
    // The address makes the zone complete; the note is not repeated for other changes.
    r = ctl.run({"record", "add", "ns1.shop.test", "A", "198.51.100.1"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
  }

  TEST_CASE("takes [zone_defaults] from --config, and [serial] policy date") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    const auto config = ctl.write_file("apexdns.toml",
                                       "[server]\nlisten = [\"127.0.0.1:53\"]\n"
                                       "[zone_defaults]\n"
                                       "mname = \"ns1.hoster.example.\"\n"
                                       "rname = \"dns.hoster.example.\"\n"
                                       "refresh = 3600\nretry = 600\nexpire = 604800\n"
                                       "minimum = 60\nttl = 86400\nrecord_ttl = 300\n"
                                       "ns = [\"ns1.hoster.example.\", \"ns2.hoster.example.\"]\n"
                                       "[serial]\npolicy = \"date\"\n");
    auto r = ctl.run({"--config", config.string(), "zone", "add", "shop.test"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());  // out-of-zone name servers need no address here
    CHECK(r.out == "added zone shop.test. with serial 2024050100\n");
    CHECK(ctl.snapshot() ==
          "zone shop.test.\n"
          "shop.test. 86400 NS ns1.hoster.example.\n"
          "shop.test. 86400 NS ns2.hoster.example.\n"
          "shop.test. 86400 SOA ns1.hoster.example. dns.hoster.example. 2024050100 3600 600 "
          "604800 60\n");
    // record_ttl is the TTL of new RRsets; the date policy moves the serial by nn.
    r = ctl.run({"--config", config.string(), "record", "add", "www.shop.test", "A", "192.0.2.1"});
    CHECK(r.code == 0);
    CHECK(r.out == "added www.shop.test. 300 IN A 192.0.2.1\nzone shop.test. serial 2024050101\n");
  }

  TEST_CASE("a zone that exists is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"zone", "add", "EXAMPLE.com."}) ==
          "apexctl: zone example.com. already exists\n");
    auto r = ctl.run({"zone", "add"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: expected one ZONE\nTry 'apexctl zone add --help'.\n");
  }

  TEST_CASE("a zone below a stored zone takes the names below its apex") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"zone", "add", "sub.example.com"}).code == 0);
    auto r = ctl.run({"record", "add", "www.sub.example.com", "A", "192.0.2.40"});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "zone sub.example.com. serial 2\n"));
  }
}

TEST_SUITE("zone list") {
  TEST_CASE("--match takes a shell pattern, --under a parent name") {
    Apexctl ctl;
    ctl.init_with_example();
    for (const char* zone : {"shop-01.test", "shop-02.test", "blog.test", "a.example.com"}) {
      REQUIRE(ctl.run({"zone", "add", zone}).code == 0);
    }
    CHECK(ctl.run({"zone", "list", "--match", "shop-??.TEST."}).out ==
          "shop-01.test.  2\nshop-02.test.  2\n");
    CHECK(ctl.run({"zone", "list", "--match", "*.test"}).out ==
          "blog.test.     2\nshop-01.test.  2\nshop-02.test.  2\n");
    CHECK(ctl.run({"zone", "list", "--under", "example.com"}).out ==
          "a.example.com.  2\nexample.com.    10\n");
    CHECK(ctl.run({"zone", "list", "--under", "com", "--match", "a.*", "--json"}).out ==
          "[\n  {\"name\": \"a.example.com.\", \"records\": 2, \"provider\": false}\n]\n");
    CHECK(ctl.run({"zone", "list", "--match", "nothing*"}).out.empty());
  }
}

TEST_SUITE("zone show") {
  TEST_CASE("SOA fields, serial, counts and the last change, as text") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(
        ctl.run({"--actor", "alice", "record", "add", "ftp.example.com", "A", "192.0.2.7"}).code ==
        0);
    auto r = ctl.run({"zone", "show", "example.com"});
    CHECK(r.code == 0);
    const std::string head =
        "zone         example.com.\n"
        "serial       2024010102\n"
        "mname        ns1.example.com.  (primary name server)\n"
        "rname        hostmaster.example.com.  (contact mailbox)\n"
        "refresh      7200\n"
        "retry        3600\n"
        "expire       1209600\n"
        "minimum      300  (negative caching, RFC 2308)\n"
        "soa ttl      3600\n"
        "nameservers  ns1.example.com. ns2.example.net.\n"
        "records      11 in 10 RRsets at 7 names\n"
        "provider     no  (ALIAS targets in this zone resolve upstream)\n"
        "last change  ";
    CHECK(r.out.starts_with(head));
    CHECK(r.out.ends_with(" by alice: record add (#2)\n"));
  }

  TEST_CASE("as JSON") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"zone", "show", "example.com", "--json"});
    CHECK(r.code == 0);
    const std::string prefix =
        "{\"zone\": \"example.com.\", \"serial\": 2024010101, \"soa\": {\"ttl\": 3600, "
        "\"mname\": \"ns1.example.com.\", \"rname\": \"hostmaster.example.com.\", \"serial\": "
        "2024010101, \"refresh\": 7200, \"retry\": 3600, \"expire\": 1209600, \"minimum\": 300}, "
        "\"ns\": [\"ns1.example.com.\", \"ns2.example.net.\"], \"records\": 10, \"rrsets\": 9, "
        "\"names\": 6, \"provider\": false, \"last_change\": {\"id\": 1, \"time\": \"";
    CHECK(r.out.starts_with(prefix));
    CHECK(r.out.ends_with("Z\", \"actor\": \"tester\", \"operation\": \"zone import\"}}\n"));
  }

  TEST_CASE("an unknown zone is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"zone", "show", "example.org"});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: zone example.org. is not in the database\n");
  }
}

}  // namespace apex::testing
