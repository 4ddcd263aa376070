// Specification of apexctl zone import|export|list|delete.
#include "admin/zone_commands.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

#include "tests/admin/apexctl_fixture.hpp"
#include "zones/master_file.hpp"

namespace apex::testing {
namespace {

std::string zone_text(const std::string& apex, std::uint32_t serial, const std::string& extra) {
  return "$ORIGIN " + apex + "\n$TTL 300\n@ IN SOA ns1 hostmaster " + std::to_string(serial) +
         " 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n" + extra;
}

}  // namespace

TEST_SUITE("zone import") {
  TEST_CASE("imports one master file; the zone name comes from $ORIGIN") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    const auto file = ctl.write_file("anything.zone", kExampleZone);
    auto r = ctl.run({"zone", "import", file.string()});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == "imported example.com. from " + file.string() + ": 10 records\n");
    CHECK(contains(ctl.snapshot(), "zone example.com.\n"));
    CHECK(contains(ctl.snapshot(), "txt.example.com. 300 TXT \"hello world\" \"v=spf1 -all\"\n"));
  }

  TEST_CASE("without $ORIGIN the zone name is the file name without .zone") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    const auto file = ctl.write_file("example.org.zone",
                                     "@ 300 IN SOA ns1 h 1 2 3 4 5\n@ 300 IN NS ns1\n"
                                     "ns1 300 IN A 192.0.2.1\n");
    auto r = ctl.run({"zone", "import", file.string()});
    CHECK(r.code == 0);
    CHECK(ctl.run({"zone", "list"}).out == "example.org.  3\n");
  }

  TEST_CASE("imports every *.zone file of a directory in one go") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    ctl.write_file("zones/b.test.zone", zone_text("b.test.", 1, ""));
    ctl.write_file("zones/a.test.zone", zone_text("a.test.", 1, "www IN A 192.0.2.2\n"));
    ctl.write_file("zones/README", "not a zone file");
    auto r = ctl.run({"zone", "import", ctl.path("zones").string()});
    CHECK(r.code == 0);
    CHECK(ctl.run({"zone", "list"}).out == "a.test.  4\nb.test.  3\n");
  }

  TEST_CASE("a syntax error names FILE:LINE, exits 1, and nothing is written") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::string before = ctl.snapshot();
    ctl.write_file("zones/a.test.zone", zone_text("a.test.", 1, ""));
    const auto bad =
        ctl.write_file("zones/b.test.zone", zone_text("b.test.", 1, "www IN A 192.0.2.999\n"));
    auto r = ctl.run({"zone", "import", ctl.path("zones").string()});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "apexctl: " + bad.string() + ":6: A address: '192.0.2.999' is not an IPv4 address\n");
    CHECK(ctl.snapshot() == before);  // a.test. was valid, but the import is all or nothing
  }

  TEST_CASE("a zone that breaks the zone rules is refused with the file name") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::string before = ctl.snapshot();
    const auto bad = ctl.write_file("cname.test.zone", zone_text("cname.test.", 1, "@ CNAME x\n"));
    auto r = ctl.run({"zone", "import", bad.string()});
    CHECK(r.code == 1);
    CHECK(r.err.starts_with("apexctl: " + bad.string() + ": "));
    CHECK(contains(r.err, "CNAME"));
    CHECK(ctl.snapshot() == before);
  }

  TEST_CASE("a zone without an SOA is refused") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    const auto bad = ctl.write_file("nosoa.test.zone", "@ 300 IN NS ns1\nns1 300 IN A 192.0.2.1\n");
    auto r = ctl.run({"zone", "import", bad.string()});
    CHECK(r.code == 1);
    CHECK(contains(r.err, "SOA"));
    CHECK(ctl.snapshot().empty());
  }

  TEST_CASE("the same zone twice in one directory is refused") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    ctl.write_file("zones/one.zone", zone_text("dup.test.", 1, ""));
    ctl.write_file("zones/two.zone", zone_text("dup.test.", 2, ""));
    auto r = ctl.run({"zone", "import", ctl.path("zones").string()});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: " + ctl.path("zones/two.zone").string() +
                       ": zone dup.test. is also in " + ctl.path("zones/one.zone").string() + "\n");
    CHECK(ctl.snapshot().empty());
  }

  TEST_CASE("missing paths and directories without zone files are refused") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    auto r = ctl.run({"zone", "import", ctl.path("nowhere").string()});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: " + ctl.path("nowhere").string() + ": no such file or directory\n");
    std::filesystem::create_directories(ctl.path("empty"));
    r = ctl.run({"zone", "import", ctl.path("empty").string()});
    CHECK(r.code == 1);
    CHECK(contains(r.err, "no *.zone files"));
    r = ctl.run({"zone", "import"});
    CHECK(r.code == 2);
    r = ctl.run({"zone", "import", "a", "b"});
    CHECK(r.code == 2);
  }

  TEST_CASE("a stored zone is replaced only with --replace, and its serial never goes backwards") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    const auto file =
        ctl.write_file("z.test.zone", zone_text("z.test.", 10, "old IN A 192.0.2.9\n"));
    REQUIRE(ctl.run({"zone", "import", file.string()}).code == 0);

    ctl.write_file("z.test.zone", zone_text("z.test.", 20, "new IN A 192.0.2.8\n"));
    CHECK(ctl.refused({"zone", "import", file.string()}) ==
          "apexctl: zone z.test. is already in the database; nothing was imported (--replace "
          "replaces them)\n");
    auto r = ctl.run({"zone", "import", file.string(), "--replace"});
    CHECK(r.code == 0);
    // The lines it changed, as in the change log (the serial-only SOA change is left out).
    CHECK(r.out == "imported z.test. from " + file.string() +
                       ": 4 records (replaced)\n"
                       "  -old.z.test. 300 IN A 192.0.2.9\n"
                       "  +new.z.test. 300 IN A 192.0.2.8\n");
    auto snapshot = ctl.snapshot();
    CHECK(contains(snapshot, "new.z.test."));
    CHECK_FALSE(contains(snapshot, "old.z.test."));
    CHECK(contains(snapshot, " 20 7200 "));

    ctl.write_file("z.test.zone", zone_text("z.test.", 5, ""));
    r = ctl.run({"zone", "import", file.string(), "--replace"});
    CHECK(r.code == 0);
    CHECK(r.err == "apexctl: note: z.test.: serial 5 is not above the stored 20; stored as 21\n");
    CHECK(contains(ctl.snapshot(), " 21 7200 "));
  }

  TEST_CASE("a database error is exit 3") {
    Apexctl ctl;
    const auto file = ctl.write_file("example.com.zone", kExampleZone);
    auto r = ctl.run({"zone", "import", file.string()});
    CHECK(r.code == 3);
    CHECK(contains(r.err, "no such file"));
  }
  TEST_CASE("without --replace, every stored zone of a directory is named and nothing changes") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    ctl.write_file("zones/a.test.zone", zone_text("a.test.", 1, ""));
    ctl.write_file("zones/b.test.zone", zone_text("b.test.", 1, ""));
    REQUIRE(ctl.run({"zone", "import", ctl.path("zones").string()}).code == 0);
    ctl.write_file("zones/c.test.zone", zone_text("c.test.", 1, ""));
    CHECK(ctl.refused({"zone", "import", ctl.path("zones").string()}) ==
          "apexctl: zones a.test., b.test. are already in the database; nothing was imported "
          "(--replace replaces them)\n");
  }

  TEST_CASE("--replace prints a count instead of the lines when more than 20 changed") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    const auto file = ctl.write_file("z.test.zone", zone_text("z.test.", 1, ""));
    REQUIRE(ctl.run({"zone", "import", file.string()}).code == 0);
    std::string many;
    for (int i = 0; i < 21; ++i) many += "h" + std::to_string(i) + " IN A 192.0.2.9\n";
    ctl.write_file("z.test.zone", zone_text("z.test.", 2, many));
    auto r = ctl.run({"zone", "import", file.string(), "--replace"});
    CHECK(r.code == 0);
    CHECK(r.out == "imported z.test. from " + file.string() +
                       ": 24 records (replaced)\n"
                       "  -0 +21 records (more than 20 lines: 'apexctl log z.test. --limit 1 "
                       "--full' shows them)\n");
    // Exactly 20 lines are still printed.
    // h0..h9 go, k0..k9 come: 20 lines.
    std::string twenty;
    for (int i = 10; i < 21; ++i) twenty += "h" + std::to_string(i) + " IN A 192.0.2.9\n";
    for (int i = 0; i < 10; ++i) twenty += "k" + std::to_string(i) + " IN A 192.0.2.9\n";
    ctl.write_file("z.test.zone", zone_text("z.test.", 3, twenty));
    r = ctl.run({"zone", "import", file.string(), "--replace"});
    CHECK(r.code == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 21);
    CHECK(contains(r.out, "\n  -h0.z.test. 300 IN A 192.0.2.9\n"));
    CHECK(contains(r.out, "\n  +k9.z.test. 300 IN A 192.0.2.9\n"));
  }
}

TEST_SUITE("zone export") {
  TEST_CASE("prints a master file that reads back to the same records") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"zone", "export", "EXAMPLE.com"});
    CHECK(r.code == 0);
    CHECK(r.out.starts_with("$ORIGIN example.com.\n"));
    auto reread = read_master_text(r.out, Name::from_text("example.com.").value());
    REQUIRE_MESSAGE(reread.ok(), reread.error());
    CHECK(reread->records.size() == 10);

    // Importing the export into a second database gives the same zone.
    Apexctl other;
    REQUIRE(other.run({"init"}).code == 0);
    REQUIRE(other.run({"zone", "import", other.write_file("x.zone", r.out).string()}).code == 0);
    CHECK(other.run({"zone", "export", "example.com."}).out == r.out);
  }

  TEST_CASE("NSD's nsd-checkzone and Knot's kzonecheck accept the export") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto file = ctl.write_file("export.zone", ctl.run({"zone", "export", "example.com"}).out);
    const std::string checkers[] = {"nsd-checkzone example.com", "kzonecheck -o example.com"};
    for (const std::string& checker : checkers) {
      const std::string program = checker.substr(0, checker.find(' '));
      // The peers come from Debian packages (scripts/setup.sh); skip one that is absent.
      if (std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) != 0) continue;
      CAPTURE(checker);
      CHECK(std::system((checker + " '" + file.string() + "' >/dev/null 2>&1").c_str()) == 0);
    }
  }

  TEST_CASE("an unknown zone is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"zone", "export", "www.example.com"});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: zone www.example.com. is not in the database\n");
    r = ctl.run({"zone", "export", "bad..name"});
    CHECK(r.code == 1);
    CHECK(contains(r.err, "invalid name 'bad..name'"));
  }
}

TEST_SUITE("zone list") {
  TEST_CASE("lists names with record counts, as text or JSON") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(
        ctl.run({"zone", "import", ctl.write_file("a.zone", zone_text("a.test.", 1, "")).string()})
            .code == 0);
    auto text = ctl.run({"zone", "list"});
    CHECK(text.code == 0);
    CHECK(text.out == "a.test.       3\nexample.com.  10\n");
    auto json = ctl.run({"zone", "list", "--json"});
    CHECK(json.code == 0);
    CHECK(json.out ==
          "[\n  {\"name\": \"a.test.\", \"records\": 3, \"provider\": false},\n"
          "  {\"name\": \"example.com.\", \"records\": 10, \"provider\": false}\n]\n");
  }

  TEST_CASE("an empty database lists nothing") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    CHECK(ctl.run({"zone", "list"}).out.empty());
    CHECK(ctl.run({"zone", "list", "--json"}).out == "[]\n");
    CHECK(ctl.run({"zone", "list", "extra"}).code == 2);
  }
}

TEST_SUITE("zone delete") {
  TEST_CASE("deletes the zone and all its records") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"zone", "delete", "Example.COM."});
    CHECK(r.code == 0);
    CHECK(r.out == "deleted zone example.com.\n");
    CHECK(ctl.snapshot().empty());
  }

  TEST_CASE("an unknown zone is refused and nothing changes") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::string before = ctl.snapshot();
    auto r = ctl.run({"zone", "delete", "com"});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: zone com. is not in the database\n");
    CHECK(ctl.snapshot() == before);
    CHECK(ctl.run({"zone", "delete"}).code == 2);
  }

  TEST_CASE("zones that depend on it are named and refuse the delete; --force deletes anyway") {
    Apexctl ctl;
    ctl.init_with_example();
    // The parent's delegation, made before the child zone exists here.
    REQUIRE(ctl.run({"record", "add", "sub.example.com", "NS", "ns1.example.com"}).code == 0);
    for (const char* zone : {"shop.test", "other.test", "sub.example.com"})
      REQUIRE(ctl.run({"zone", "add", zone}).code == 0);
    REQUIRE(ctl.run({"alias", "set", "shop.test", "www.sub.example.com"}).code == 0);
    REQUIRE(ctl.run({"record", "add", "cdn.other.test", "CNAME", "x.sub.example.com"}).code == 0);
    // A name that only ends like the zone is no reference.
    REQUIRE(ctl.run({"record", "add", "y.other.test", "CNAME", "notsub.example.com"}).code == 0);
    CHECK(ctl.refused({"zone", "delete", "sub.example.com"}) ==
          "apexctl: zone sub.example.com. not deleted: 3 record(s) of other zones depend on it "
          "(--force deletes it anyway):\n"
          "  example.com.: sub.example.com. 3600 IN NS ns1.example.com.\n"
          "  other.test.: cdn.other.test. 3600 IN CNAME x.sub.example.com.\n"
          "  shop.test.: shop.test. 3600 IN ALIAS www.sub.example.com.\n");
    // Its own records never count: other.test only points at itself.
    CHECK(ctl.run({"zone", "delete", "other.test"}).code == 0);
    auto forced = ctl.run({"zone", "delete", "sub.example.com", "--force"});
    CHECK_MESSAGE(forced.code == 0, forced.err);
    CHECK_FALSE(contains(ctl.run({"zone", "list"}).out, "sub.example.com"));
  }
}

}  // namespace apex::testing
