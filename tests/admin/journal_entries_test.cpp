// Specification of the IXFR journal apexctl writes: every change that moves a zone's serial
// forward is one version (RFC 1995 §4: old SOA, deletions, new SOA, additions), written with
// the change; what cannot be told as a version (an ALIAS changed) restarts the history.
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"
#include "zones/rdata.hpp"
#include "zones/zone_difference.hpp"

namespace apex::testing {
namespace {

std::string text_of(const Record& r) {
  return r.owner.to_text() + " " + std::to_string(r.ttl) + " " + rrtype_to_text(r.type) + " " +
         rdata_to_text(r.type, r.rdata);
}

// The zone's journal versions as "FROM->TO -deleted... +added..." lines.
std::vector<std::string> versions(const Apexctl& ctl, const char* zone) {
  auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting);
  REQUIRE(db.ok());
  auto journal = (*db)->journal(Name::from_text(zone).value());
  REQUIRE(journal.ok());
  std::vector<std::string> out;
  for (const auto& row : *journal) {
    auto v = decode_difference(row.difference);
    REQUIRE_MESSAGE(v.ok(), (v.ok() ? "" : v.error()));
    CHECK(v->from() == row.from);
    CHECK(v->to() == row.to);
    std::string line = std::to_string(row.from) + "->" + std::to_string(row.to);
    for (const Record& r : v->deleted) line += " -" + text_of(r);
    for (const Record& r : v->added) line += " +" + text_of(r);
    out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_SUITE("journal") {
  TEST_CASE("record commands write one version each, a TTL change as delete plus add") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    REQUIRE(ctl.run({"zone", "add", "shop.test"}).code == 0);
    CHECK(versions(ctl, "shop.test.").empty());  // a new zone has no history
    REQUIRE(ctl.run({"record", "add", "www.shop.test", "A", "192.0.2.1"}).code == 0);
    REQUIRE(ctl.run({"record", "set", "www.shop.test", "A", "192.0.2.2"}).code == 0);
    REQUIRE(ctl.run({"record", "set", "www.shop.test", "A", "192.0.2.2", "--ttl", "60"}).code == 0);
    REQUIRE(ctl.run({"record", "delete", "www.shop.test"}).code == 0);
    CHECK(versions(ctl, "shop.test.") ==
          std::vector<std::string>{
              "1->2 +www.shop.test. 3600 A 192.0.2.1",
              "2->3 -www.shop.test. 3600 A 192.0.2.1 +www.shop.test. 3600 A 192.0.2.2",
              "3->4 -www.shop.test. 3600 A 192.0.2.2 +www.shop.test. 60 A 192.0.2.2",
              "4->5 -www.shop.test. 60 A 192.0.2.2",
          });
  }

  TEST_CASE("an ALIAS change restarts the history; later changes start it again") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    REQUIRE(ctl.run({"zone", "add", "shop.test"}).code == 0);
    REQUIRE(ctl.run({"record", "add", "www.shop.test", "A", "192.0.2.1"}).code == 0);
    REQUIRE(versions(ctl, "shop.test.").size() == 1);
    auto r = ctl.run({"alias", "set", "shop.test", "lb.cdn.example.net"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(versions(ctl, "shop.test.").empty());
    REQUIRE(ctl.run({"record", "add", "mail.shop.test", "A", "192.0.2.5"}).code == 0);
    CHECK(versions(ctl, "shop.test.") ==
          std::vector<std::string>{"3->4 +mail.shop.test. 3600 A 192.0.2.5"});
  }

  TEST_CASE("[journal] bounds the history apexctl keeps") {
    Apexctl ctl;
    const auto config = ctl.write_file("apexdns.toml", "[journal]\nmax_depth = 2\n");
    REQUIRE(ctl.run({"init"}).code == 0);
    REQUIRE(ctl.run({"zone", "add", "shop.test"}).code == 0);
    for (const char* address : {"192.0.2.1", "192.0.2.2", "192.0.2.3"})
      REQUIRE(ctl.run({"--config", config.string(), "record", "add", "www.shop.test", "A", address})
                  .code == 0);
    CHECK(versions(ctl, "shop.test.") ==
          std::vector<std::string>{"2->3 +www.shop.test. 3600 A 192.0.2.2",
                                   "3->4 +www.shop.test. 3600 A 192.0.2.3"});
    const auto bad = ctl.write_file("bad.toml", "[journal]\nmax_depth = -1\n");
    auto r = ctl.run({"--config", bad.string(), "zone", "list"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "[journal] max_depth: must be an integer from 0"));
  }
}

}  // namespace apex::testing
