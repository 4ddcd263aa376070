// Specification of provider-owned zones in apexctl (zone add/import --provider, zone provider
// ZONE on|off, shown by zone show and zone list) and of the public-suffix check of zone add,
// zone import and apply (refused unless --force).
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {

namespace {

const char* const kHostco =
    "$ORIGIN hostco.example.\n"
    "@ 3600 IN SOA ns1 hostmaster 5 7200 3600 1209600 300\n"
    "@ 3600 IN NS ns1\n"
    "ns1 IN A 192.0.2.53\n"
    "www IN A 192.0.2.80\n";

// A list that knows a few suffixes, so the tests do not depend on the system's.
constexpr const char* kList =
    "// ===BEGIN ICANN DOMAINS===\ncom\nuk\nco.uk\nexample\n// ===END ICANN DOMAINS===\n"
    "// ===BEGIN PRIVATE DOMAINS===\nmyshopify.com\n// ===END PRIVATE DOMAINS===\n";

// An initialized database, and apexctl pointed at kList.
struct ListedApexctl : Apexctl {
  ListedApexctl() {
    env.variables["APEXCTL_PUBLIC_SUFFIX_LIST"] = write_file("psl.dat", kList).string();
    REQUIRE(run({"init"}).code == 0);
  }
};

}  // namespace

TEST_SUITE("provider zones") {
  TEST_CASE("zone add --provider marks the zone; zone add alone does not") {
    ListedApexctl ctl;
    auto r = ctl.run({"zone", "add", "cdn.example", "--provider"});
    CHECK(r.code == 0);
    CHECK(r.out == "added zone cdn.example. (provider-owned) with serial 1\n");
    REQUIRE(ctl.run({"zone", "add", "shop.example"}).code == 0);
    CHECK(ctl.providers() == "provider cdn.example.\n");
    CHECK(ctl.run({"zone", "list"}).out ==
          "cdn.example.   2  provider\n"
          "shop.example.  2\n");
    CHECK(ctl.run({"zone", "list", "--json"}).out ==
          "[\n  {\"name\": \"cdn.example.\", \"records\": 2, \"provider\": true},\n"
          "  {\"name\": \"shop.example.\", \"records\": 2, \"provider\": false}\n]\n");
    CHECK(ctl.run({"zone", "show", "cdn.example", "--json"}).out.find("\"provider\": true") !=
          std::string::npos);
    CHECK(ctl.run({"zone", "show", "cdn.example"})
              .out.find("provider     yes  (ALIAS targets in this zone resolve locally)\n") !=
          std::string::npos);
  }

  TEST_CASE("zone import --provider marks new and replaced zones; without it a mark is kept") {
    ListedApexctl ctl;
    const auto file = ctl.write_file("hostco.example.zone", kHostco);
    REQUIRE(ctl.run({"zone", "import", file.string()}).code == 0);
    CHECK(ctl.providers().empty());
    REQUIRE(ctl.run({"zone", "import", file.string(), "--provider", "--replace"}).code == 0);
    CHECK(ctl.providers() == "provider hostco.example.\n");
    // Re-imported without --provider (the same content): still provider-owned.
    REQUIRE(ctl.run({"zone", "import", file.string(), "--replace"}).code == 0);
    CHECK(ctl.providers() == "provider hostco.example.\n");
  }

  TEST_CASE("zone provider ZONE on|off: one logged change, serial unchanged") {
    ListedApexctl ctl;
    const auto file = ctl.write_file("hostco.example.zone", kHostco);
    REQUIRE(ctl.run({"zone", "import", file.string()}).code == 0);
    auto on = ctl.run({"--actor", "ops", "zone", "provider", "HostCo.example", "on"});
    CHECK(on.code == 0);
    CHECK(on.out == "zone hostco.example. is now provider-owned\n");
    CHECK(ctl.providers() == "provider hostco.example.\n");
    auto log = ctl.run({"log", "hostco.example", "--limit", "1"}).out;
    CHECK(log.find("ops  zone provider\n") != std::string::npos);
    CHECK(log.find("serial 5 -> 5") != std::string::npos);
    CHECK(log.find("provider: on") != std::string::npos);
    CHECK(ctl.snapshot().find("SOA ns1.hostco.example. hostmaster.hostco.example. 5 ") !=
          std::string::npos);

    const std::string before = ctl.change_log();
    auto again = ctl.run({"zone", "provider", "hostco.example", "on"});
    CHECK(again.out == "zone hostco.example. is already provider-owned\n");
    CHECK(ctl.change_log() == before);  // nothing changed, nothing logged

    CHECK(ctl.run({"zone", "provider", "hostco.example", "off"}).out ==
          "zone hostco.example. is now not provider-owned\n");
    CHECK(ctl.providers().empty());
  }

  TEST_CASE("zone provider: bad input is refused or a usage error, and changes nothing") {
    ListedApexctl ctl;
    REQUIRE(ctl.run({"zone", "add", "shop.example"}).code == 0);
    CHECK(ctl.refused({"zone", "provider", "other.example", "on"}) ==
          "apexctl: zone other.example. is not in the database\n");
    CHECK(ctl.run({"zone", "provider", "shop.example", "yes"}).code == 2);
    CHECK(ctl.run({"zone", "provider", "shop.example"}).code == 2);
    CHECK(ctl.providers().empty());
  }

  TEST_CASE("a deleted zone loses its mark; added again it is not provider-owned") {
    ListedApexctl ctl;
    REQUIRE(ctl.run({"zone", "add", "cdn.example", "--provider"}).code == 0);
    REQUIRE(ctl.run({"zone", "delete", "cdn.example"}).code == 0);
    REQUIRE(ctl.run({"zone", "add", "cdn.example"}).code == 0);
    CHECK(ctl.providers().empty());
  }

  TEST_CASE("apply: zone provider lines, with the rest of the file in one transaction") {
    ListedApexctl ctl;
    REQUIRE(ctl.run({"zone", "add", "cdn.example"}).code == 0);
    const auto script = ctl.write_file(
        "changes.txt", "zone provider cdn.example on\nzone add lb.example --provider\n");
    auto r = ctl.run({"apply", script.string()});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(ctl.providers() == "provider cdn.example.\nprovider lb.example.\n");
  }
}

TEST_SUITE("public suffixes") {
  TEST_CASE("zone add refuses a public suffix, a name above one and the root") {
    ListedApexctl ctl;
    CHECK(ctl.refused({"zone", "add", "com"}) ==
          "apexctl: zone com. is a public suffix (ICANN section of the Public Suffix List): its "
          "names belong to the many registrants below it, not to one customer; use --force if "
          "this server really is authoritative for it\n");
    CHECK(ctl.refused({"zone", "add", "co.uk"}).find("zone co.uk. is a public suffix") !=
          std::string::npos);
    CHECK(ctl.refused({"zone", "add", "myshopify.com"}).find("(PRIVATE section") !=
          std::string::npos);
    CHECK(ctl.refused({"zone", "add", "."}) ==
          "apexctl: zone . is the root, above every public suffix: it would answer for every "
          "domain; use --force if this server really is authoritative for it\n");
    // An unlisted top-level label is a suffix too (the list's implicit rule).
    CHECK(ctl.refused({"zone", "add", "internal"}).find("is a public suffix") != std::string::npos);
    // Below a suffix: an ordinary customer zone.
    CHECK(ctl.run({"zone", "add", "shop.co.uk"}).code == 0);
    CHECK(ctl.run({"zone", "add", "store.myshopify.com"}).code == 0);
  }

  TEST_CASE("--force adds it anyway") {
    ListedApexctl ctl;
    CHECK(ctl.run({"zone", "add", "com", "--force"}).code == 0);
    CHECK(ctl.run({"zone", "add", ".", "--force"}).code == 0);
    CHECK(ctl.snapshot().find("zone com.\n") != std::string::npos);
  }

  TEST_CASE("zone import and apply check every zone, and refuse the whole command") {
    ListedApexctl ctl;
    const auto dir = ctl.path("zones");
    ctl.write_file("zones/hostco.example.zone", kHostco);
    ctl.write_file("zones/com.zone",
                   "@ 3600 IN SOA ns1.hostco.example. h.hostco.example. 1 7200 3600 1209600 300\n"
                   "@ 3600 IN NS ns1.hostco.example.\n");
    const std::string err = ctl.refused({"zone", "import", dir.string()});
    CHECK(err.find("com.zone: zone com. is a public suffix") != std::string::npos);
    CHECK(ctl.run({"zone", "import", dir.string(), "--force"}).code == 0);

    const auto script = ctl.write_file("changes.txt", "zone add uk\n");
    CHECK(ctl.refused({"apply", script.string()}).find("zone uk. is a public suffix") !=
          std::string::npos);
    const auto forced = ctl.write_file("forced.txt", "zone add uk --force\n");
    CHECK(ctl.run({"apply", forced.string()}).code == 0);
  }

  TEST_CASE("without a readable list, zones are refused rather than let through") {
    Apexctl ctl;
    ctl.env.variables["APEXCTL_PUBLIC_SUFFIX_LIST"] = ctl.path("missing.dat").string();
    REQUIRE(ctl.run({"init"}).code == 0);
    const std::string err = ctl.refused({"zone", "add", "shop.example"});
    CHECK(err.find("cannot check zone shop.example. against the Public Suffix List: cannot "
                   "read ") != std::string::npos);
    CHECK(err.find("publicsuffix package") != std::string::npos);
    CHECK(ctl.run({"zone", "add", "shop.example", "--force"}).code == 0);
  }
}

}  // namespace apex::testing
