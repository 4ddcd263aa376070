// Specification of apexctl revert CHANGE_ID: the inverse of a logged change, as a new change;
// refused when a later change touched the same data, unless --force.
#include <doctest/doctest.h>

#include "admin/change_detail_reader.hpp"
#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

// The zones' records, sorted (storage keeps insertion order), without the SOA lines, whose
// serial a revert moves on.
std::string without_soa(const std::string& snapshot) {
  std::vector<std::string> kept;
  std::istringstream lines(snapshot);
  for (std::string line; std::getline(lines, line);)
    if (line.find(" SOA ") == std::string::npos) kept.push_back(line);
  std::sort(kept.begin(), kept.end());
  std::string out;
  for (const auto& line : kept) out += line + "\n";
  return out;
}

std::string serial_of(const Apexctl& ctl, const std::string& zone) {
  auto r = ctl.run({"zone", "show", zone, "--json"});
  REQUIRE(r.code == 0);
  const auto at = r.out.find("\"serial\": ");
  REQUIRE(at != std::string::npos);
  return r.out.substr(at + 10, r.out.find_first_of(",\n}", at) - at - 10);
}

}  // namespace

TEST_SUITE("revert") {
  TEST_CASE(
      "a zone delete comes back exactly, with alias settings, provider flag, and serial + 1") {
    Apexctl ctl;
    ctl.init_with_example();  // change 1
    REQUIRE(ctl.run({"alias", "set", "shop.example.com", "lb.cdn.example.net", "--fallback",
                     "192.0.2.99", "--health", "tcp:443"})
                .code == 0);                                                // 2
    REQUIRE(ctl.run({"zone", "provider", "example.com", "on"}).code == 0);  // 3
    for (int i = 0; i < 100; ++i)
      REQUIRE(ctl.run({"record", "add", "h" + std::to_string(i) + ".example.com", "A",
                       "198.51.100." + std::to_string(i)})
                  .code == 0);  // 4 … 103
    const std::string records = ctl.snapshot(), settings = ctl.alias_snapshot();
    const std::string serial = serial_of(ctl, "example.com");
    REQUIRE(ctl.run({"zone", "delete", "example.com"}).code == 0);  // 104
    REQUIRE(ctl.snapshot().empty());

    auto r = ctl.run({"revert", "104"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(contains(r.out, "reverted change 104 ('zone delete') of zone example.com.\n"));
    CHECK(without_soa(ctl.snapshot()) == without_soa(records));
    CHECK(ctl.alias_snapshot() == settings);
    CHECK(ctl.providers() == "provider example.com.\n");
    CHECK(serial_of(ctl, "example.com") == std::to_string(std::stoul(serial) + 1));
    CHECK(contains(ctl.run({"log", "--limit", "1"}).out, "revert"));
  }

  TEST_CASE("record changes are undone: added deleted, deleted added back, TTLs restored") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::string before = ctl.snapshot();
    REQUIRE(ctl.run({"record", "add", "ftp.example.com", "A", "192.0.2.30"}).code == 0);  // 2
    REQUIRE(ctl.run({"record", "set", "www.example.com", "A", "192.0.2.11", "--ttl", "60"}).code ==
            0);                                                                 // 3
    REQUIRE(ctl.run({"record", "delete", "mail.example.com", "A"}).code == 0);  // 4
    REQUIRE(ctl.run({"record", "set", "example.com", "SOA",
                     "ns1.example.com hostmaster.example.com 1 1800 900 604800 60"})
                .code == 0);  // 5: every field but the serial is the operator's
    for (const char* id : {"5", "4", "3", "2"}) {
      auto r = ctl.run({"revert", id});
      CHECK_MESSAGE(r.code == 0, r.err);
    }
    CHECK(without_soa(ctl.snapshot()) == without_soa(before));
    // The SOA's fields are back, its serial moved forward (never back: secondaries).
    CHECK(contains(ctl.run({"record", "list", "example.com", "example.com", "--type", "SOA"}).out,
                   "7200 3600 1209600 300"));
    CHECK(std::stoul(serial_of(ctl, "example.com")) > 2024010101);
  }

  TEST_CASE("a created zone is deleted; alias settings changes are undone") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"alias", "set", "shop.example.com", "lb.cdn.example.net"}).code == 0);  // 2
    const std::string settings = ctl.alias_snapshot();
    REQUIRE(ctl.run({"alias", "set", "shop.example.com", "lb.cdn.example.net", "--fallback",
                     "192.0.2.99"})
                .code == 0);                                       // 3
    REQUIRE(ctl.run({"zone", "add", "other.example"}).code == 0);  // 4
    CHECK(ctl.run({"revert", "3"}).code == 0);
    CHECK(ctl.alias_snapshot() == settings);
    CHECK(ctl.run({"revert", "4"}).code == 0);
    CHECK_FALSE(contains(ctl.run({"zone", "list"}).out, "other.example"));
  }

  TEST_CASE("a later change of the same records refuses the revert; --force overrides") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "ftp.example.com", "A", "192.0.2.30"}).code == 0);    // 2
    REQUIRE(ctl.run({"record", "add", "other.example.com", "A", "192.0.2.31"}).code == 0);  // 3
    REQUIRE(ctl.run({"record", "add", "ftp.example.com", "A", "192.0.2.32"}).code == 0);    // 4
    CHECK(ctl.refused({"revert", "2"}) ==
          "apexctl: change 2 cannot be reverted: change 4 ('record add' by tester) changed the "
          "same records since; --force reverts it anyway, on top of the zone as it is now\n");
    // Change 3 touched another name only: nothing stands in the way.
    CHECK(ctl.run({"revert", "3"}).code == 0);
    auto r = ctl.run({"revert", "2", "--force"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(contains(ctl.snapshot(), "ftp.example.com. 3600 A 192.0.2.32\n"));
    CHECK_FALSE(contains(ctl.snapshot(), "192.0.2.30"));
    // A zone deleted, then added again: the delete's revert would collide with the new zone.
    REQUIRE(ctl.run({"zone", "delete", "example.com"}).code == 0);  // 7
    REQUIRE(ctl.run({"zone", "add", "example.com"}).code == 0);     // 8
    CHECK(contains(ctl.refused({"revert", "7"}), "change 8 ('zone add' by tester)"));
    CHECK(ctl.run({"revert", "7", "--force"}).code == 0);  // the zone as it was, replacing
    CHECK(contains(ctl.snapshot(), "ftp.example.com. 3600 A 192.0.2.32\n"));
  }

  TEST_CASE("what cannot be reverted is refused with the reason; bad ids are usage errors") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"tsig", "add", "k1", "--secret", "c2VjcmV0c2VjcmV0c2VjcmV0"}).code == 0);
    CHECK(ctl.refused({"revert", "2"}) ==
          "apexctl: change 2 ('tsig add') changed the TSIG keys or secondaries: undo it with the "
          "tsig or secondary command\n");
    CHECK(ctl.refused({"revert", "99"}) == "apexctl: there is no change 99 in the log\n");
    CHECK(ctl.run({"revert", "x"}).code == 2);
    CHECK(ctl.run({"revert"}).code == 2);
  }
}

TEST_CASE("change detail: read back as written, record lines parsed as master-file lines") {
  auto apex = *Name::from_text("example.com.");
  auto read = admin::read_change_detail(
      apex,
      "serial 5 -> 6\n-www.example.com. 300 IN A 192.0.2.1\n+www.example.com. 60 IN A "
      "192.0.2.1\n+alias settings shop.example.com. (fallback 192.0.2.9; health tcp:443)\n"
      "provider: on");
  REQUIRE_MESSAGE(read.ok(), read.error());
  CHECK(read->fate == admin::ZoneFate::kUpdated);
  CHECK(read->old_serial == 5u);
  CHECK(read->new_serial == 6u);
  REQUIRE(read->removed.size() == 1);
  CHECK(read->removed[0].ttl == 300);
  REQUIRE(read->added.size() == 1);
  CHECK(read->added[0].ttl == 60);
  REQUIRE(read->settings_added.size() == 1);
  CHECK(admin::fallback_text(read->settings_added[0]) == "192.0.2.9");
  CHECK(admin::health_text(read->settings_added[0]) == "tcp:443");
  CHECK(read->provider == true);
  auto old = admin::read_change_detail(apex,
                                       "serial 1 -> 2\n+a.example.com. 1 IN A 192.0.2.1\n"
                                       "... and 9 more records");
  REQUIRE_FALSE(old.ok());
  CHECK(contains(old.error(), "line 3 of the entry"));
}
}  // namespace apex::testing
