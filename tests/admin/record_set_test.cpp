// Specification of apexctl record set (replace an RRset) and record list --type.
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {

TEST_SUITE("record set") {
  TEST_CASE("replaces an RRset with the positional RDATA and each --rdata") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "set", "www.example.com", "A", "192.0.2.1", "--rdata", "192.0.2.2",
                      "--ttl", "300"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out ==
          "deleted www.example.com. 3600 IN A 192.0.2.10\n"
          "added www.example.com. 300 IN A 192.0.2.1\n"
          "added www.example.com. 300 IN A 192.0.2.2\n"
          "zone example.com. serial 2024010102\n");
    CHECK(ctl.run({"record", "list", "example.com", "www.example.com", "--type", "A"}).out ==
          "www.example.com. 300 IN A 192.0.2.1\nwww.example.com. 300 IN A 192.0.2.2\n");
    // The other RRsets at the name are left alone.
    CHECK(contains(ctl.snapshot(), "www.example.com. 3600 AAAA 2001:db8::10\n"));
  }

  TEST_CASE("each --rdata is one record's whole RDATA") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "set", "example.com", "MX", "--rdata", "10 mail.example.com",
                      "--rdata", "20 mail2.example.net."});
    CHECK(r.code == 0);
    CHECK(ctl.run({"record", "list", "example.com", "example.com", "--type", "MX"}).out ==
          "example.com. 3600 IN MX 10 mail.example.com.\n"
          "example.com. 3600 IN MX 20 mail2.example.net.\n");
  }

  TEST_CASE("creates a new RRset with the default TTL, or changes only the TTL") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.run({"record", "set", "new.example.com", "TXT", "\"a b\""}).code == 0);
    CHECK(contains(ctl.snapshot(), "new.example.com. 3600 TXT \"a b\"\n"));
    auto r = ctl.run({"record", "set", "new.example.com", "TXT", "\"a b\"", "--ttl", "60"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "deleted new.example.com. 3600 IN TXT \"a b\"\n"
          "added new.example.com. 60 IN TXT \"a b\"\n"
          "zone example.com. serial 2024010103\n");
  }

  TEST_CASE("setting what is already there changes nothing: no serial, no log entry") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::string before = ctl.snapshot() + ctl.change_log();
    auto r = ctl.run({"record", "set", "WWW.example.com", "A", "192.0.2.10"});
    CHECK(r.code == 0);
    CHECK(r.out == "zone example.com. unchanged\n");
    CHECK(ctl.snapshot() + ctl.change_log() == before);
  }

  TEST_CASE("the zone rules apply to the new RRset") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "set", "www.example.com", "CNAME", "mail.example.com"}) ==
          "apexctl: cannot set www.example.com. CNAME: www.example.com.: CNAME and other data at "
          "the same name (RFC 1034 §3.6.2)\n");
  }

  TEST_CASE("usage errors") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "set", "www.example.com", "A"});
    CHECK(r.code == 2);
    CHECK(r.err ==
          "apexctl: expected RDATA after TYPE or with --rdata (to remove the RRset, use 'record "
          "delete NAME TYPE')\nTry 'apexctl record set --help'.\n");
    CHECK(ctl.run({"record", "set", "www.example.com"}).code == 2);
    CHECK(ctl.run({"record", "set", "www.example.com", "A", "--rdata"}).code == 2);
  }
}

TEST_SUITE("record list") {
  TEST_CASE("--type keeps one type; an unknown type is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "list", "example.com", "--type", "aaaa"});
    CHECK(r.code == 0);
    CHECK(r.out == "www.example.com. 3600 IN AAAA 2001:db8::10\n");
    r = ctl.run({"record", "list", "example.com", "--type", "BOGUS"});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: unknown record type 'BOGUS'\n");
  }
}

TEST_SUITE("record names") {
  TEST_CASE("names in RDATA are absolute without the dot, inside the zone or not") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.run({"record", "add", "sub.example.com", "NS", "ns.sub.example.com"}).code == 0);
    CHECK(ctl.run({"record", "add", "ns.sub.example.com", "A", "192.0.2.53"}).code == 0);
    CHECK(ctl.refused({"record", "add", "example.com", "MX", "10", "mail.example.com"}) ==
          "apexctl: record already exists: example.com. 3600 IN MX 10 mail.example.com.\n");
    CHECK(ctl.run({"record", "add", "example.com", "MX", "20", "mx.hostco.example"}).code == 0);
    const std::string snapshot = ctl.snapshot();
    CHECK(contains(snapshot, "sub.example.com. 3600 NS ns.sub.example.com.\n"));
    CHECK(contains(snapshot, "example.com. 3600 MX 20 mx.hostco.example.\n"));
  }
}

}  // namespace apex::testing
