// Specification of apexctl alias set|delete: an alias is its ALIAS record plus its settings
// (fallback addresses, health check); every change validates the zone whole, moves its
// serial once, writes one change-log entry, and a refused change leaves everything as it was.
#include "admin/alias_edits.hpp"

#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

// The newest change-log entry: "zone | actor | operation" and its detail.
std::string last_entry(const Apexctl& ctl) {
  const std::string log = ctl.change_log();
  const auto at = log.rfind("example.com. | ");
  return at == std::string::npos ? log : log.substr(at);
}

std::string soa_serial_line(std::uint32_t serial) {
  return "example.com. 3600 SOA ns1.example.com. hostmaster.example.com. " +
         std::to_string(serial) + " 7200 3600 1209600 300\n";
}

// apexctl alias set example.com lb.cdn.example.net --ttl 300 --fallback ... --health tcp:443
void set_full_apex_alias(const Apexctl& ctl) {
  auto r = ctl.run({"alias", "set", "example.com", "lb.cdn.example.net", "--ttl", "300",
                    "--fallback", "192.0.2.9", "--health", "tcp:443"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
}

}  // namespace

TEST_SUITE("alias set") {
  TEST_CASE("creates an ALIAS record at the apex with the default TTL, and bumps the serial") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"alias", "set", "example.com", "lb.cdn.example.net"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out ==
          "added example.com. 3600 IN ALIAS lb.cdn.example.net.\n"
          "zone example.com. serial 2024010102\n");
    const std::string snapshot = ctl.snapshot();
    CHECK(contains(snapshot, "example.com. 3600 ALIAS lb.cdn.example.net.\n"));
    CHECK(contains(snapshot, soa_serial_line(2024010102)));
    CHECK(ctl.alias_snapshot().empty());  // no fallback, no health check: no settings row
    CHECK(ctl.change_count() == 2);
    CHECK(last_entry(ctl) ==
          "example.com. | tester | alias set\n"
          "serial 2024010101 -> 2024010102\n"
          "+example.com. 3600 IN ALIAS lb.cdn.example.net.\n");
  }

  TEST_CASE("--ttl, --fallback and --health are stored in their canonical form") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"alias", "set", "Shop.Example.com.", "LB.cdn.Example.NET", "--ttl", "300",
                      "--fallback", "2001:DB8:0:0::10,192.0.2.9", "--fallback", "192.0.2.1",
                      "--fallback", "192.0.2.9", "--health", "TCP:443"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "added Shop.Example.com. 300 IN ALIAS lb.cdn.example.net. (fallback "
          "192.0.2.1,192.0.2.9,2001:db8::10; health tcp:443)\n"
          "zone example.com. serial 2024010102\n");
    CHECK(contains(ctl.snapshot(), "Shop.Example.com. 300 ALIAS lb.cdn.example.net.\n"));
    CHECK(ctl.alias_snapshot() ==
          "settings shop.example.com. fallback=192.0.2.1,192.0.2.9,2001:db8::10 "
          "health=tcp:443\n");
    CHECK(last_entry(ctl) ==
          "example.com. | tester | alias set\n"
          "serial 2024010101 -> 2024010102\n"
          "+Shop.Example.com. 300 IN ALIAS lb.cdn.example.net.\n"
          "+alias settings Shop.Example.com. (fallback 192.0.2.1,192.0.2.9,2001:db8::10; health "
          "tcp:443)\n");
  }

  TEST_CASE("the TTL defaults to record_ttl from [zone_defaults]") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto config = ctl.write_file("apexdns.toml", "[zone_defaults]\nrecord_ttl = 120\n");
    auto r = ctl.run({"--config", config.string(), "alias", "set", "example.com", "t.example.net"});
    CHECK(r.code == 0);
    CHECK(contains(ctl.snapshot(), "example.com. 120 ALIAS t.example.net.\n"));
  }

  TEST_CASE("setting exactly what is there changes nothing: no serial, no log entry") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    const std::string before = ctl.everything();
    auto r = ctl.run({"alias", "set", "example.com.", "LB.CDN.example.net.", "--ttl", "300",
                      "--fallback", "192.0.2.9", "--health", "tcp:443"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == "zone example.com. unchanged\n");
    CHECK(ctl.everything() == before);
  }

  TEST_CASE("a new target replaces the alias and keeps its TTL when --ttl is left out") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    auto r = ctl.run({"alias", "set", "example.com", "lb2.cdn.example.net", "--fallback",
                      "192.0.2.9", "--health", "tcp:443"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "deleted example.com. 300 IN ALIAS lb.cdn.example.net. (fallback 192.0.2.9; health "
          "tcp:443)\n"
          "added example.com. 300 IN ALIAS lb2.cdn.example.net. (fallback 192.0.2.9; health "
          "tcp:443)\n"
          "zone example.com. serial 2024010103\n");
    const std::string snapshot = ctl.snapshot();
    CHECK(contains(snapshot, "example.com. 300 ALIAS lb2.cdn.example.net.\n"));
    CHECK(!contains(snapshot, "lb.cdn.example.net."));
    CHECK(last_entry(ctl) ==
          "example.com. | tester | alias set\n"
          "serial 2024010102 -> 2024010103\n"
          "-example.com. 300 IN ALIAS lb.cdn.example.net.\n"
          "+example.com. 300 IN ALIAS lb2.cdn.example.net.\n");
  }

  TEST_CASE("each set is the whole definition: options left out clear the settings") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    auto r = ctl.run({"alias", "set", "example.com", "lb.cdn.example.net"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "deleted example.com. 300 IN ALIAS lb.cdn.example.net. (fallback 192.0.2.9; health "
          "tcp:443)\n"
          "added example.com. 300 IN ALIAS lb.cdn.example.net.\n"
          "zone example.com. serial 2024010103\n");
    CHECK(ctl.alias_snapshot().empty());
    CHECK(last_entry(ctl) ==
          "example.com. | tester | alias set\n"
          "serial 2024010102 -> 2024010103\n"
          "-alias settings example.com. (fallback 192.0.2.9; health tcp:443)\n");
  }

  TEST_CASE("changing only the settings is a change: new serial, one log entry") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    auto r = ctl.run({"alias", "set", "example.com", "lb.cdn.example.net", "--fallback",
                      "192.0.2.8,2001:db8::8", "--health", "tcp:443"});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "zone example.com. serial 2024010103\n"));
    CHECK(ctl.alias_snapshot() ==
          "settings example.com. fallback=192.0.2.8,2001:db8::8 health=tcp:443\n");
    CHECK(contains(ctl.snapshot(), soa_serial_line(2024010103)));
    CHECK(ctl.change_count() == 3);
    CHECK(last_entry(ctl) ==
          "example.com. | tester | alias set\n"
          "serial 2024010102 -> 2024010103\n"
          "-alias settings example.com. (fallback 192.0.2.9; health tcp:443)\n"
          "+alias settings example.com. (fallback 192.0.2.8,2001:db8::8; health tcp:443)\n");
  }

  TEST_CASE("an alias may stand beside SOA, NS, MX and TXT, and at any owner") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.run({"alias", "set", "example.com", "t.example.net"}).code == 0);
    CHECK(ctl.run({"alias", "set", "txt.example.com", "t.example.net"}).code == 0);
    CHECK(ctl.run({"alias", "set", "new.deep.example.com", "www.example.com"}).code == 0);
    CHECK(ctl.run({"check", "example.com"}).code == 0);
  }

  TEST_CASE("the rules of the zone refuse an alias beside a CNAME or static addresses") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"alias", "set", "alias.example.com", "t.example.net"}) ==
          "apexctl: cannot set alias.example.com. 3600 IN ALIAS t.example.net.: "
          "alias.example.com.: ALIAS and CNAME at the same name (a CNAME allows no other data)\n");
    CHECK(ctl.refused({"alias", "set", "www.example.com", "t.example.net"}) ==
          "apexctl: cannot set www.example.com. 3600 IN ALIAS t.example.net.: www.example.com.: "
          "ALIAS and static A records at the same name (an ALIAS supplies the addresses)\n");
    CHECK(ctl.run({"record", "add", "v6.example.com", "AAAA", "2001:db8::6"}).code == 0);
    CHECK(ctl.refused({"alias", "set", "v6.example.com", "t.example.net"}) ==
          "apexctl: cannot set v6.example.com. 3600 IN ALIAS t.example.net.: v6.example.com.: "
          "ALIAS and static AAAA records at the same name (an ALIAS supplies the addresses)\n");
  }

  TEST_CASE("the target may not be the owner itself, in any case") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"alias", "set", "shop.example.com", "SHOP.example.com."}) ==
          "apexctl: cannot set shop.example.com. 3600 IN ALIAS shop.example.com.: "
          "shop.example.com.: ALIAS target is the owner itself\n");
  }

  TEST_CASE("an alias at or below a delegation is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "sub.example.com", "NS", "ns.example.net."}).code == 0);
    CHECK(ctl.refused({"alias", "set", "sub.example.com", "t.example.net"}) ==
          "apexctl: cannot set sub.example.com. 3600 IN ALIAS t.example.net.: sub.example.com.: "
          "ALIAS at or below the delegation point sub.example.com. (RFC 1034 §4.2.1: that data "
          "is not authoritative)\n");
    CHECK(contains(ctl.refused({"alias", "set", "www.sub.example.com", "t.example.net"}),
                   "www.sub.example.com.: ALIAS at or below the delegation point "
                   "sub.example.com."));
  }

  TEST_CASE("a name outside every stored zone is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"alias", "set", "shop.test", "t.example.net"}) ==
          "apexctl: no zone in the database contains shop.test.\n");
  }

  TEST_CASE("bad names, TTLs, fallback addresses and health checks say what is wrong") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"alias", "set", "a..example.com", "t.example.net"}) ==
          "apexctl: invalid name 'a..example.com': empty label\n");
    CHECK(ctl.refused({"alias", "set", "example.com", "t..example.net"}) ==
          "apexctl: invalid name 't..example.net': empty label\n");
    CHECK(contains(ctl.refused({"alias", "set", "example.com", "bücher.example"}),
                   "apexctl: invalid name 'bücher.example': non-ASCII characters"));
    CHECK(ctl.refused({"alias", "set", "example.com", "t.example.net", "--ttl", "-1"}) ==
          "apexctl: invalid TTL '-1': expected seconds from 0 to 2147483647 (RFC 2181 §8), or a "
          "time such as 30m, 1h30m, 1d or 1w\n");
    CHECK(ctl.refused({"alias", "set", "example.com", "t.example.net", "--fallback",
                       "192.0.2.1,192.0.2.300"}) ==
          "apexctl: invalid fallback address '192.0.2.300': expected an IPv4 or IPv6 address\n");
    CHECK(ctl.refused(
              {"alias", "set", "example.com", "t.example.net", "--fallback", "www.example.com"}) ==
          "apexctl: invalid fallback address 'www.example.com': expected an IPv4 or IPv6 "
          "address\n");
    CHECK(
        ctl.refused({"alias", "set", "example.com", "t.example.net", "--fallback", "192.0.2.1,"}) ==
        "apexctl: invalid fallback address '': expected an IPv4 or IPv6 address\n");
    CHECK(ctl.refused({"alias", "set", "example.com", "t.example.net", "--fallback", ""}) ==
          "apexctl: invalid fallback address '': expected an IPv4 or IPv6 address\n");
    for (const char* health :
         {"tcp:0", "tcp:65536", "udp:53", "tcp:", "tcp:https", "443", "tcp:+443", "tcp: 443"}) {
      CAPTURE(health);
      CHECK(ctl.refused({"alias", "set", "example.com", "t.example.net", "--health", health}) ==
            std::string("apexctl: invalid health check '") + health +
                "': expected tcp:PORT with PORT from 1 to 65535\n");
    }
  }

  TEST_CASE("the edges of the health port are accepted") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.run({"alias", "set", "a.example.com", "t.example.net", "--health", "tcp:1"}).code ==
          0);
    CHECK(ctl.run({"alias", "set", "b.example.com", "t.example.net", "--health=tcp:65535"}).code ==
          0);
    CHECK(ctl.alias_snapshot() ==
          "settings a.example.com. fallback= health=tcp:1\n"
          "settings b.example.com. fallback= health=tcp:65535\n");
  }

  TEST_CASE("wrong shapes are usage errors (exit 2) and change nothing") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::string before = ctl.everything();
    auto r = ctl.run({"alias", "set", "example.com"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: expected NAME TARGET\nTry 'apexctl alias set --help'.\n");
    r = ctl.run({"alias", "set", "example.com", "a.example.net", "b.example.net"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: expected NAME TARGET\nTry 'apexctl alias set --help'.\n");
    r = ctl.run({"alias", "set", "example.com", "a.example.net", "--fallbak", "192.0.2.1"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: unknown option '--fallbak'\nTry 'apexctl alias set --help'.\n");
    r = ctl.run({"alias", "set", "example.com", "a.example.net", "--health"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: option '--health' needs a value\nTry 'apexctl alias set --help'.\n");
    r = ctl.run({"alias", "frobnicate"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: unknown alias command 'frobnicate'\nTry 'apexctl alias --help'.\n");
    CHECK(ctl.everything() == before);
  }
}

TEST_SUITE("alias delete") {
  TEST_CASE("deletes the ALIAS record and its settings, and bumps the serial") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    auto r = ctl.run({"alias", "delete", "EXAMPLE.com"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out ==
          "deleted example.com. 300 IN ALIAS lb.cdn.example.net. (fallback 192.0.2.9; health "
          "tcp:443)\n"
          "zone example.com. serial 2024010103\n");
    CHECK(!contains(ctl.snapshot(), "ALIAS"));
    CHECK(ctl.alias_snapshot().empty());
    CHECK(last_entry(ctl) ==
          "example.com. | tester | alias delete\n"
          "serial 2024010102 -> 2024010103\n"
          "-example.com. 300 IN ALIAS lb.cdn.example.net.\n"
          "-alias settings example.com. (fallback 192.0.2.9; health tcp:443)\n");
  }

  TEST_CASE("a name without an alias, or outside every zone, is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    CHECK(ctl.refused({"alias", "delete", "www.example.com"}) ==
          "apexctl: no ALIAS at www.example.com. in zone example.com.\n");
    CHECK(ctl.refused({"alias", "delete", "shop.test"}) ==
          "apexctl: no zone in the database contains shop.test.\n");
    CHECK(ctl.refused({"alias", "delete", "a..example.com"}) ==
          "apexctl: invalid name 'a..example.com': empty label\n");
    auto r = ctl.run({"alias", "delete"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: expected NAME\nTry 'apexctl alias delete --help'.\n");
  }
}

TEST_SUITE("aliases and the other commands") {
  TEST_CASE("record commands refuse type ALIAS and point at the alias commands") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    const std::string message =
        "apexctl: ALIAS records are not managed with 'record' commands: use 'apexctl alias set "
        "NAME TARGET' or 'apexctl alias delete NAME'\n";
    CHECK(ctl.refused({"record", "add", "x.example.com", "ALIAS", "t.example.net."}) == message);
    CHECK(ctl.refused({"record", "set", "example.com", "ALIAS", "t.example.net."}) == message);
    CHECK(ctl.refused({"record", "delete", "example.com", "ALIAS"}) == message);
  }

  TEST_CASE("static addresses at an alias owner are refused") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    CHECK(ctl.refused({"record", "add", "example.com", "A", "192.0.2.80"}) ==
          "apexctl: cannot add example.com. 3600 IN A 192.0.2.80: example.com.: ALIAS and static "
          "A records at the same name (an ALIAS supplies the addresses)\n");
    CHECK(contains(ctl.refused({"record", "set", "example.com", "AAAA", "2001:db8::80"}),
                   "example.com.: ALIAS and static AAAA records at the same name"));
  }

  TEST_CASE("record delete NAME deletes an alias there too, with its settings") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(
        ctl.run({"alias", "set", "shop.example.com", "t.example.net", "--fallback", "192.0.2.7"})
            .code == 0);
    REQUIRE(ctl.run({"record", "add", "shop.example.com", "TXT", "hello"}).code == 0);
    auto r = ctl.run({"record", "delete", "shop.example.com"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "deleted shop.example.com. 3600 IN TXT \"hello\"\n"
          "deleted shop.example.com. 3600 IN ALIAS t.example.net.\n"
          "zone example.com. serial 2024010104\n");
    CHECK(ctl.alias_snapshot().empty());
    CHECK(contains(last_entry(ctl),
                   "-shop.example.com. 3600 IN ALIAS t.example.net.\n"
                   "-alias settings shop.example.com. (fallback 192.0.2.7)\n"));
  }

  TEST_CASE("zone export and zone import round-trip aliases; import keeps their settings") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    REQUIRE(
        ctl.run({"alias", "set", "shop.example.com", "t.example.net", "--fallback", "192.0.2.7"})
            .code == 0);
    auto exported = ctl.run({"zone", "export", "example.com"});
    REQUIRE(exported.code == 0);
    CHECK(contains(exported.out, "example.com.\t300\tIN\tALIAS\tlb.cdn.example.net.\n"));
    CHECK(contains(exported.out, "shop.example.com.\t3600\tIN\tALIAS\tt.example.net.\n"));
    // The same content again: nothing changes, settings stay.
    const std::string before = ctl.everything();
    auto same =
        ctl.run({"zone", "import", ctl.write_file("x.zone", exported.out).string(), "--replace"});
    CHECK(same.code == 0);
    CHECK(contains(same.out, "(unchanged)"));
    CHECK(ctl.everything() == before);
    // A file without the shop alias: that alias and its settings go, the apex alias keeps its.
    std::string without = exported.out;
    const std::string shop_line = "shop.example.com.\t3600\tIN\tALIAS\tt.example.net.\n";
    without.erase(without.find(shop_line), shop_line.size());
    auto r = ctl.run({"zone", "import", ctl.write_file("y.zone", without).string(), "--replace"});
    CHECK(r.code == 0);
    CHECK(ctl.alias_snapshot() == "settings example.com. fallback=192.0.2.9 health=tcp:443\n");
    CHECK(last_entry(ctl) ==
          "example.com. | tester | zone import\n"
          "serial 2024010103 -> 2024010104\n"
          "-shop.example.com. 3600 IN ALIAS t.example.net.\n"
          "-alias settings shop.example.com. (fallback 192.0.2.7)\n");
  }

  TEST_CASE("an imported file with an alias beside static addresses is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto file = ctl.write_file("bad.zone",
                                     "$ORIGIN shop.test.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n"
                                     "@ NS ns1.example.net.\n@ ALIAS lb.example.net.\n"
                                     "@ A 192.0.2.1\n");
    CHECK(ctl.refused({"zone", "import", file.string()}) ==
          "apexctl: " + file.string() +
              ": shop.test.: ALIAS and static A records at the same name (an ALIAS supplies the "
              "addresses)\n");
  }

  TEST_CASE("zone delete takes the aliases' settings with it") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    CHECK(ctl.run({"zone", "delete", "example.com"}).code == 0);
    CHECK(ctl.alias_snapshot().empty());
  }

  TEST_CASE("a zone deleted and created again in one apply starts without settings") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    const auto exported = ctl.run({"zone", "export", "example.com"}).out;
    const auto file = ctl.write_file("again.zone", exported);
    const auto script =
        ctl.write_file("again.txt", "zone delete example.com\nzone import " + file.string() + "\n");
    auto r = ctl.run({"apply", script.string()});
    CHECK(r.code == 0);
    CHECK(contains(ctl.snapshot(), "example.com. 300 ALIAS lb.cdn.example.net.\n"));
    CHECK(ctl.alias_snapshot().empty());
  }
}

TEST_SUITE("alias commands in apply") {
  TEST_CASE("alias set and delete lines run with the others, one serial bump per zone") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"alias", "set", "old.example.com", "t.example.net"}).code == 0);
    const auto script = ctl.write_file(
        "aliases.txt",
        "zone add shop.test\n"
        "alias set shop.test lb-eu.cdn.example.net --ttl 300 --fallback 192.0.2.10,2001:db8::10 "
        "--health tcp:443\n"
        "alias set www.shop.test shop.test\n"
        "alias delete old.example.com\n"
        "alias set new.example.com 't.example.net'   # quoted words work as in the shell\n");
    auto r = ctl.run({"apply", script.string()});
    CHECK(r.code == 0);
    CHECK(r.err ==
          "apexctl: note: shop.test. NS ns1.shop.test.: ns1.shop.test. has no A or AAAA record in "
          "this zone\n");
    CHECK(r.out == "applied 5 commands from " + script.string() +
                       "\n"
                       "zone example.com.: serial 2024010102 -> 2024010103, +1 -1 records\n"
                       "zone shop.test.: created, serial 1, 4 records\n");
    CHECK(ctl.alias_snapshot() ==
          "settings shop.test. fallback=192.0.2.10,2001:db8::10 health=tcp:443\n");
    CHECK(ctl.run({"alias", "list"}).out ==
          "OWNER             TTL   TARGET                  FALLBACK                 HEALTH\n"
          "new.example.com.  3600  t.example.net.          -                        -\n"
          "shop.test.        300   lb-eu.cdn.example.net.  192.0.2.10,2001:db8::10  tcp:443\n"
          "www.shop.test.    3600  shop.test.              -                        -\n");
  }

  TEST_CASE("a settings-only change is reported in the apply summary") {
    Apexctl ctl;
    ctl.init_with_example();
    set_full_apex_alias(ctl);
    const auto script =
        ctl.write_file("s.txt", "alias set example.com lb.cdn.example.net --fallback 192.0.2.8\n");
    auto r = ctl.run({"apply", script.string()});
    CHECK(r.code == 0);
    CHECK(contains(r.out,
                   "zone example.com.: serial 2024010102 -> 2024010103, +0 -0 records, "
                   "alias settings of 1 name changed\n"));
  }

  TEST_CASE("a bad alias line names FILE:LINE, and nothing is written") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto script = ctl.write_file("bad.txt",
                                       "alias set a.example.com t.example.net\n"
                                       "alias set www.example.com t.example.net\n");
    CHECK(ctl.refused({"apply", script.string()}) ==
          "apexctl: " + script.string() +
              ":2: cannot set www.example.com. 3600 IN ALIAS t.example.net.: www.example.com.: "
              "ALIAS and static A records at the same name (an ALIAS supplies the addresses)\n");
    const auto parse_error =
        ctl.write_file("parse.txt", "alias set a.example.com t.example.net --health tcp:99999\n");
    CHECK(ctl.refused({"apply", parse_error.string()}) ==
          "apexctl: " + parse_error.string() +
              ":1: alias set: invalid health check 'tcp:99999': expected tcp:PORT with PORT from 1 "
              "to 65535\n");
    const auto usage = ctl.write_file("usage.txt", "alias delete\n");
    CHECK(ctl.refused({"apply", usage.string()}) ==
          "apexctl: " + usage.string() +
              ":1: alias delete: expected NAME (see 'apexctl alias delete --help')\n");
    const auto read = ctl.write_file("read.txt", "alias list\n");
    CHECK(contains(ctl.refused({"apply", read.string()}),
                   ":1: 'alias list' is not a change command"));
  }

  TEST_CASE("--dry-run validates alias lines and writes nothing") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::string before = ctl.everything();
    const auto script =
        ctl.write_file("dry.txt", "alias set example.com t.example.net --fallback 192.0.2.1\n");
    auto r = ctl.run({"apply", script.string(), "--dry-run"});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "dry run: would apply 1 commands"));
    CHECK(ctl.everything() == before);
  }
}

}  // namespace apex::testing
