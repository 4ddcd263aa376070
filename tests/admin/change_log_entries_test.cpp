// Specification of the change log apexctl writes (the audit trail and the feed apexd follows):
// every write command logs one entry per zone it changes, in the change's own transaction,
// with the actor, the operation and the before/after detail; "apexctl log" shows them.
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

// The last entry of the log as "zone | actor | operation\ndetail\n".
std::string last_entry(const Apexctl& ctl) {
  auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting);
  REQUIRE(db.ok());
  auto history = (*db)->change_history(std::nullopt, 1);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  const auto& e = history->front().entry;
  return (e.zone ? e.zone->to_text() : "-") + " | " + e.actor + " | " + e.operation + "\n" +
         e.detail + "\n";
}

}  // namespace

TEST_SUITE("change log") {
  TEST_CASE("each write command logs its operation and the before/after detail") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    REQUIRE(ctl.run({"zone", "add", "shop.test"}).code == 0);
    CHECK(ctl.change_log() ==
          "shop.test. | tester | zone add\n"
          "zone created, serial 1, 2 records\n"
          "+shop.test. 3600 IN NS ns1.shop.test.\n"
          "+shop.test. 3600 IN SOA ns1.shop.test. hostmaster.shop.test. 1 7200 3600 1209600 300\n");

    REQUIRE(ctl.run({"record", "add", "ns1.shop.test", "A", "198.51.100.1"}).code == 0);
    CHECK(last_entry(ctl) ==
          "shop.test. | tester | record add\n"
          "serial 1 -> 2\n"
          "+ns1.shop.test. 3600 IN A 198.51.100.1\n");

    REQUIRE(ctl.run({"record", "set", "ns1.shop.test", "A", "198.51.100.2"}).code == 0);
    CHECK(last_entry(ctl) ==
          "shop.test. | tester | record set\n"
          "serial 2 -> 3\n"
          "-ns1.shop.test. 3600 IN A 198.51.100.1\n"
          "+ns1.shop.test. 3600 IN A 198.51.100.2\n");

    REQUIRE(ctl.run({"record", "add", "www.shop.test", "A", "198.51.100.3"}).code == 0);
    REQUIRE(ctl.run({"record", "delete", "www.shop.test"}).code == 0);
    CHECK(last_entry(ctl) ==
          "shop.test. | tester | record delete\n"
          "serial 4 -> 5\n"
          "-www.shop.test. 3600 IN A 198.51.100.3\n");

    REQUIRE(ctl.run({"zone", "delete", "shop.test"}).code == 0);
    CHECK(last_entry(ctl) ==
          "shop.test. | tester | zone delete\n"
          "zone deleted, serial 5, 3 records\n"
          "-shop.test. 3600 IN NS ns1.shop.test.\n"
          "-shop.test. 3600 IN SOA ns1.shop.test. hostmaster.shop.test. 5 7200 3600 1209600 300\n"
          "-ns1.shop.test. 3600 IN A 198.51.100.2\n");
    CHECK(ctl.change_count() == 6);
  }

  TEST_CASE("zone import logs one entry per zone; an unchanged re-import logs none") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    ctl.write_file("zones/a.test.zone",
                   "$ORIGIN a.test.\n@ 300 SOA ns1 h 7 2 3 4 5\n"
                   "@ 300 NS ns1\nns1 300 A 192.0.2.1\n");
    ctl.write_file("zones/b.test.zone",
                   "$ORIGIN b.test.\n@ 300 SOA ns1 h 1 2 3 4 5\n"
                   "@ 300 NS ns1\nns1 300 A 192.0.2.2\n");
    REQUIRE(ctl.run({"zone", "import", ctl.path("zones").string()}).code == 0);
    CHECK(ctl.change_log() ==
          "a.test. | tester | zone import\nzone created, serial 7, 3 records\n"
          "+a.test. 300 IN NS ns1.a.test.\n+a.test. 300 IN SOA ns1.a.test. h.a.test. 7 2 3 4 5\n"
          "+ns1.a.test. 300 IN A 192.0.2.1\n"
          "b.test. | tester | zone import\nzone created, serial 1, 3 records\n"
          "+b.test. 300 IN NS ns1.b.test.\n+b.test. 300 IN SOA ns1.b.test. h.b.test. 1 2 3 4 5\n"
          "+ns1.b.test. 300 IN A 192.0.2.2\n");
    auto r = ctl.run({"zone", "import", ctl.path("zones").string(), "--replace"});
    CHECK(r.code == 0);
    CHECK(contains(r.out, ": 3 records (unchanged)\n"));
    CHECK(ctl.change_count() == 2);
  }

  TEST_CASE("large changes keep every record line") {
    Apexctl ctl;
    ctl.init_with_example();
    std::string text;
    for (int i = 0; i < 150; ++i) {
      text += "record add h" + std::to_string(i) + ".example.com A 192.0.2.1\n";
    }
    REQUIRE(ctl.run({"apply", ctl.write_file("big.txt", text).string()}).code == 0);
    const std::string entry = last_entry(ctl);
    CHECK(std::count(entry.begin(), entry.end(), '\n') == 1 + 1 + 150);
    CHECK(contains(entry, "\n+h149.example.com. 3600 IN A 192.0.2.1\n"));
    CHECK_FALSE(contains(entry, "more"));
  }

  TEST_CASE("a deleted zone's entry holds every record it had") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    std::string zone = "$ORIGIN big.test.\n@ 300 IN SOA ns1 h 1 2 3 4 5\n@ 300 IN NS ns1\n";
    for (int i = 0; i < 148; ++i) zone += "h" + std::to_string(i) + " 300 IN A 192.0.2.1\n";
    REQUIRE(ctl.run({"zone", "import", ctl.write_file("big.test.zone", zone).string()}).code == 0);
    REQUIRE(ctl.run({"zone", "delete", "big.test"}).code == 0);
    const std::string entry = last_entry(ctl);
    CHECK(
        entry.starts_with("big.test. | tester | zone delete\n"
                          "zone deleted, serial 1, 150 records\n"));
    std::size_t removed = 0;
    for (std::size_t at = entry.find("\n-"); at != std::string::npos;
         at = entry.find("\n-", at + 1))
      ++removed;
    CHECK(removed == 150);
    CHECK(contains(entry, "\n-h147.big.test. 300 IN A 192.0.2.1\n"));
  }

  TEST_CASE("log shows 100 lines of an entry unless --full; --json is always whole") {
    Apexctl ctl;
    ctl.init_with_example();
    std::string text;
    for (int i = 0; i < 150; ++i) {
      text += "record add h" + std::to_string(i) + ".example.com A 192.0.2.1\n";
    }
    REQUIRE(ctl.run({"apply", ctl.write_file("big.txt", text).string()}).code == 0);
    auto count_records = [](const std::string& out) {
      std::size_t n = 0;
      for (std::size_t at = out.find("    +h"); at != std::string::npos;
           at = out.find("    +h", at + 1))
        ++n;
      return n;
    };
    auto shortened = ctl.run({"log", "--limit", "1"});
    REQUIRE(shortened.code == 0);
    CHECK(count_records(shortened.out) == 100);
    CHECK(shortened.out.ends_with("\n    ... and 50 more lines (--full shows them)\n"));
    auto full = ctl.run({"log", "--limit", "1", "--full"});
    REQUIRE(full.code == 0);
    CHECK(count_records(full.out) == 150);
    CHECK_FALSE(contains(full.out, "more lines"));
    auto json = ctl.run({"log", "--limit", "1", "--json"});
    REQUIRE(json.code == 0);
    CHECK(contains(json.out, "+h149.example.com. 3600 IN A 192.0.2.1"));
  }

  TEST_CASE("the actor: --actor, else $SUDO_USER, else $USER, else the uid") {
    Apexctl ctl;
    ctl.init_with_example();
    auto actor_of_next_change = [&](std::vector<std::string> args) {
      args.insert(args.end(), {"record", "add", "x.example.com", "A",
                               "192.0.2." + std::to_string(ctl.change_count())});
      REQUIRE(ctl.run(args).code == 0);
      const std::string entry = last_entry(ctl);
      return entry.substr(entry.find(" | ") + 3, entry.find(" | record") - entry.find(" | ") - 3);
    };
    CHECK(actor_of_next_change({"--actor", "ci pipeline #7"}) == "ci pipeline #7");
    CHECK(actor_of_next_change({}) == "tester");
    ctl.env.variables["SUDO_USER"] = "alice";
    CHECK(actor_of_next_change({}) == "alice");
    ctl.env.variables.clear();
    CHECK(actor_of_next_change({}) == "uid 4242");
    auto r = ctl.run({"--actor", "", "zone", "list"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "option '--actor' needs a value"));
    r = ctl.run({"--actor", "bad\nname", "zone", "list"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "invalid actor"));
  }

  TEST_CASE("a refused or failing command logs nothing") {
    Apexctl ctl;
    ctl.init_with_example();
    ctl.refused({"record", "add", "www.example.com", "CNAME", "x"});
    ctl.refused({"zone", "delete", "nothing.test"});
    CHECK(ctl.change_count() == 1);
  }
}

TEST_SUITE("log") {
  TEST_CASE("newest first, with time, zone, actor, operation and indented detail") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(
        ctl.run({"--actor", "alice", "record", "add", "ftp.example.com", "A", "192.0.2.7"}).code ==
        0);
    REQUIRE(ctl.run({"zone", "add", "shop.test"}).code == 0);
    auto r = ctl.run({"log", "example.com", "--limit", "1"});
    CHECK(r.code == 0);
    // "#2  2024-…Z  example.com.  alice  record add"
    CHECK(r.out.starts_with("#2  20"));
    CHECK(contains(r.out,
                   "Z  example.com.  alice  record add\n"
                   "    serial 2024010101 -> 2024010102\n"
                   "    +ftp.example.com. 3600 IN A 192.0.2.7\n"));
    CHECK(std::count(r.out.begin(), r.out.end(), '#') == 1);
    r = ctl.run({"log"});
    CHECK(r.out.starts_with("#3  "));
    CHECK(contains(r.out, "shop.test.  tester  zone add\n"));
  }

  TEST_CASE("as JSON") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "delete", "alias.example.com"}).code == 0);
    auto r = ctl.run({"log", "--json", "--limit", "1"});
    CHECK(r.code == 0);
    CHECK(r.out.starts_with("[\n  {\"id\": 2, \"time\": \"20"));
    CHECK(r.out.ends_with(
        "Z\", \"zone\": \"example.com.\", \"actor\": \"tester\", \"operation\": \"record delete\", "
        "\"detail\": \"serial 2024010101 -> 2024010102\\n-alias.example.com. 3600 IN CNAME "
        "www.example.com.\", \"comment\": null}\n]\n"));
    CHECK(ctl.run({"log", "nothing.test", "--json"}).out == "[]\n");
  }

  TEST_CASE("bad arguments") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"log", "--limit", "0"});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: invalid limit '0': expected a number from 1 to 1000000000\n");
    CHECK(ctl.run({"log", "a", "b"}).code == 2);
  }
}

}  // namespace apex::testing
