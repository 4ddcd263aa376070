// Specification of apexctl catalog set, unset and show, and of what the catalog forbids:
// a zone of its name, and record edits inside it.
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {

namespace {

storage::CatalogState catalog_state(const Apexctl& ctl) {
  auto db = storage::Database::open(ctl.path("apexdns.db"), storage::OpenMode::kExisting);
  REQUIRE_MESSAGE(db.ok(), db.error());
  return (*db)->catalog_state().value();
}

}  // namespace

TEST_SUITE("catalog") {
  TEST_CASE("set names the catalog, raises its serial and logs a transfer-settings change") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::uint32_t before = catalog_state(ctl).serial;
    auto r = ctl.run({"catalog", "set", "Catalog.Hoster.Test"});
    CHECK(r.code == 0);
    CHECK(r.out == "catalog catalog.hoster.test.\n");
    CHECK(catalog_state(ctl).name == Name::from_text("catalog.hoster.test.").value());
    CHECK(catalog_state(ctl).serial == before + 1);
    CHECK(contains(ctl.change_log(), "- | tester | catalog set\n+catalog catalog.hoster.test.\n"));

    r = ctl.run({"catalog", "set", "catalog.hoster.test."});
    CHECK(r.out == "catalog catalog.hoster.test. (unchanged)\n");
    CHECK(catalog_state(ctl).serial == before + 1);

    r = ctl.run({"catalog", "set", "cat.test"});
    CHECK(r.out == "catalog cat.test. (was catalog.hoster.test.)\n");
    r = ctl.run({"catalog", "unset"});
    CHECK(r.code == 0);
    CHECK(r.out == "catalog cat.test. unset\n");
    CHECK_FALSE(catalog_state(ctl).name);
    CHECK(catalog_state(ctl).serial == before + 3);
    CHECK(contains(ctl.change_log(), "- | tester | catalog unset\n-catalog cat.test.\n"));
  }

  TEST_CASE("bad names, stored zones and an unset without a catalog are refused") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"catalog", "set", "."}) == "apexctl: the root cannot be a catalog zone\n");
    CHECK(contains(ctl.refused({"catalog", "set", "bad..name"}), "apexctl: "));
    CHECK(ctl.refused({"catalog", "set", "Example.COM"}) ==
          "apexctl: zone example.com. is stored: the catalog zone needs a name no zone has "
          "(RFC 9432 §4)\n");
    std::string long_name;
    for (int i = 0; i < 4; ++i) long_name += std::string(58, 'c') + ".";
    CHECK(ctl.refused({"catalog", "set", long_name}) ==
          "apexctl: catalog " + long_name + ": name too long for member names below it\n");
    CHECK(ctl.refused({"catalog", "unset"}) == "apexctl: no catalog zone is set\n");
    CHECK(ctl.run({"catalog", "set"}).code == 2);
  }

  TEST_CASE("while it is the catalog, no zone of its name can be created, and it is not exported") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"catalog", "set", "cat.test"}).code == 0);
    CHECK(contains(ctl.refused({"zone", "add", "cat.test"}),
                   "zone cat.test. is the name of the catalog zone; choose another name or "
                   "move the catalog first ('apexctl catalog set|unset')\n"));
    const auto file = ctl.write_file("cat.test.zone",
                                     "$ORIGIN cat.test.\n@ 60 IN SOA ns h 1 2 3 4 5\n"
                                     "@ 60 IN NS ns.example.com.\n");
    CHECK(contains(ctl.refused({"zone", "import", file.string()}), "is the name of the catalog"));
    const auto changes = ctl.write_file("changes.txt", "zone add other.test\nzone add cat.test\n");
    CHECK(contains(ctl.refused({"apply", changes.string()}), "is the name of the catalog"));
    CHECK(ctl.refused({"zone", "delete", "cat.test"}) ==
          "apexctl: zone cat.test. is not in the database\n");
    auto r = ctl.run({"zone", "export", "cat.test"});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "apexctl: zone cat.test. is the catalog zone, which apexd generates from the stored "
          "zones: it is not stored (see 'apexctl catalog show')\n");
    CHECK_FALSE(contains(ctl.run({"zone", "list"}).out, "cat.test."));
    REQUIRE(ctl.run({"catalog", "unset"}).code == 0);
    CHECK(ctl.run({"zone", "add", "cat.test"}).code == 0);
  }

  TEST_CASE("names in the catalog zone cannot be edited with record or alias commands") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"catalog", "set", "catalog.example.com"}).code == 0);
    CHECK(ctl.refused({"record", "add", "version.catalog.example.com", "TXT", "\"3\""}) ==
          "apexctl: version.catalog.example.com. is in the catalog zone catalog.example.com., "
          "which apexd generates from the stored zones: it cannot be edited\n");
    CHECK(contains(ctl.refused({"alias", "set", "catalog.example.com", "lb.cdn.test"}),
                   "is in the catalog zone"));
    // The zone above it stays editable.
    CHECK(ctl.run({"record", "add", "www.example.com", "A", "192.0.2.80"}).code == 0);
  }

  TEST_CASE("zone add and delete move the serial; show lists the members with their labels") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"catalog", "set", "cat.test"}).code == 0);
    const std::uint32_t serial = catalog_state(ctl).serial;
    REQUIRE(ctl.run({"zone", "add", "shop.test"}).code == 0);
    CHECK(catalog_state(ctl).serial == serial + 1);
    REQUIRE(ctl.run({"record", "add", "www.shop.test", "A", "192.0.2.1"}).code == 0);
    CHECK(catalog_state(ctl).serial == serial + 1);

    auto r = ctl.run({"catalog", "show"});
    CHECK(r.code == 0);
    CHECK(contains(
        r.out, "catalog cat.test. serial " + std::to_string(serial + 1) + ", 2 member zone(s)\n"));
    CHECK(contains(r.out, "example.com."));
    CHECK(contains(r.out, "shop.test."));
    r = ctl.run({"catalog", "show", "--json"});
    CHECK(contains(r.out, "{\"name\": \"cat.test.\", \"serial\": " + std::to_string(serial + 1) +
                              ", \"members\": [{\"zone\": \"example.com.\", \"label\": \""));

    REQUIRE(ctl.run({"zone", "delete", "shop.test"}).code == 0);
    CHECK(catalog_state(ctl).serial == serial + 2);
    REQUIRE(ctl.run({"catalog", "unset"}).code == 0);
    CHECK(ctl.run({"catalog", "show"}).out ==
          "no catalog zone is set (see 'apexctl catalog set')\n");
    CHECK(contains(ctl.run({"catalog", "show", "--json"}).out, "{\"name\": null, "));
  }
}

}  // namespace apex::testing
