// Specification of zone import for files from strangers: $INCLUDE only with --allow-include
// DIR and only inside DIR, the [import] limits, devices refused, a byte order mark skipped.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

namespace fs = std::filesystem;

const std::string kHead =
    "$ORIGIN shop.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
    "ns1 A 192.0.2.1\n";

const std::string kIncludeRefused =
    " refused: including files is not allowed (zone import --allow-include DIR allows files "
    "inside DIR)\n";

}  // namespace

TEST_SUITE("zone import from strangers") {
  TEST_CASE("$INCLUDE is refused without --allow-include, naming the line, not the content") {
    Apexctl ctl;
    ctl.init_with_example();
    ctl.write_file("zones/secret.txt", "hunter2\n");
    const auto file = ctl.write_file("zones/shop.test.zone", kHead + "$INCLUDE secret.txt\n");
    CHECK(ctl.refused({"zone", "import", file.string()}) ==
          "apexctl: " + file.string() + ":6: $INCLUDE " + ctl.path("zones/secret.txt").string() +
              kIncludeRefused);
    const auto passwd = ctl.write_file("passwd.zone", kHead + "$INCLUDE /etc/passwd\n");
    CHECK(ctl.refused({"zone", "import", passwd.string()}) ==
          "apexctl: " + passwd.string() + ":6: $INCLUDE /etc/passwd" + kIncludeRefused);
  }

  TEST_CASE("--allow-include DIR reads included files inside DIR only") {
    Apexctl ctl;
    ctl.init_with_example();
    const fs::path root = ctl.path("customer");
    ctl.write_file("customer/hosts.inc", "www A 192.0.2.10\n");
    ctl.write_file("outside.inc", "www A 192.0.2.66\n");
    fs::create_symlink(ctl.path("outside.inc"), root / "escape.inc");
    const auto good = ctl.write_file("customer/shop.test.zone", kHead + "$INCLUDE hosts.inc\n");
    auto r = ctl.run({"zone", "import", good.string(), "--allow-include", root.string()});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(contains(ctl.snapshot(), "www.shop.test. 300 A 192.0.2.10\n"));
    const std::string before = ctl.everything();
    for (const std::string include : {"../outside.inc", "escape.inc"}) {
      const auto bad =
          ctl.write_file("customer/shop.test.zone", kHead + "$INCLUDE " + include + "\n");
      const std::string err =
          ctl.refused({"zone", "import", bad.string(), "--allow-include", root.string()});
      CHECK(err == "apexctl: " + bad.string() + ":6: $INCLUDE " + (root / include).string() +
                       " refused: not below the include directory " + fs::canonical(root).string() +
                       " (it resolves to " + fs::canonical(ctl.path("outside.inc")).string() +
                       ")\n");
    }
    CHECK(ctl.everything() == before);
    CHECK(ctl.refused(
              {"zone", "import", good.string(), "--allow-include", ctl.path("absent").string()}) ==
          "apexctl: --allow-include " + ctl.path("absent").string() + ": not a directory\n");
  }

  TEST_CASE("apply passes --allow-include on to its zone import lines") {
    Apexctl ctl;
    ctl.init_with_example();
    ctl.write_file("customer/hosts.inc", "www A 192.0.2.10\n");
    const auto zone = ctl.write_file("customer/shop.test.zone", kHead + "$INCLUDE hosts.inc\n");
    const auto refused = ctl.write_file("refused.txt", "zone import " + zone.string() + "\n");
    CHECK(contains(ctl.refused({"apply", refused.string()}), kIncludeRefused));
    const auto allowed =
        ctl.write_file("allowed.txt", "zone import " + zone.string() + " --allow-include " +
                                          ctl.path("customer").string() + "\n");
    auto r = ctl.run({"apply", allowed.string()});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(contains(ctl.snapshot(), "www.shop.test. 300 A 192.0.2.10\n"));
  }

  TEST_CASE("a device or FIFO is refused before it is read") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"zone", "import", "/dev/zero"}) ==
          "apexctl: /dev/zero: cannot read: not a regular file (a device, FIFO or socket is "
          "never read)\n");
  }

  TEST_CASE("the [import] limits of the --config file apply, each with its own message") {
    Apexctl ctl;
    ctl.init_with_example();
    auto with_config = [&](const std::string& settings, const std::string& zone) {
      const auto config = ctl.write_file("apexdns.toml", "[import]\n" + settings + "\n");
      const auto file = ctl.write_file("shop.test.zone", zone);
      return ctl.refused({"--config", config.string(), "zone", "import", file.string()});
    };
    const std::string file = ctl.path("shop.test.zone").string();
    const std::string twice = kHead + "www A 192.0.2.1\nwww A 192.0.2.2\n";  // 5 records
    CHECK(with_config("max_records = 4", twice) ==
          "apexctl: " + file + ":7: more than 4 records in the zone\n");
    CHECK(with_config("max_rrset_records = 1", twice) ==
          "apexctl: " + file + ":7: more than 1 records in the RRset www.shop.test. A\n");
    CHECK(
        with_config("max_line_length = 50", twice + "txt TXT \"" + std::string(50, 'x') + "\"\n") ==
        "apexctl: " + file + ":8: line longer than 50 octets\n");
    CHECK(with_config("max_zone_size = 100", twice) ==
          "apexctl: " + file +
              ": cannot read: larger than 100 octets, the limit for a zone with its included "
              "files\n");
    // Within the limits the same file is imported.
    const auto config = ctl.write_file("apexdns.toml", "[import]\nmax_records = 5\n");
    const auto zone = ctl.write_file("shop.test.zone", twice);
    CHECK(ctl.run({"--config", config.string(), "zone", "import", zone.string()}).code == 0);
  }

  TEST_CASE("a UTF-8 byte order mark at the start of the file is skipped") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto file = ctl.write_file("shop.test.zone", "\xEF\xBB\xBF" + kHead);
    auto r = ctl.run({"zone", "import", file.string()});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "imported shop.test. from " + file.string() + ": 3 records\n");
  }
}

}  // namespace apex::testing
