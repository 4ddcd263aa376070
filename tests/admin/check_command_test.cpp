// Specification of apexctl check [ZONE].
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"
#include "zones/master_file.hpp"

namespace apex::testing {
namespace {

// Writes records around apexctl, as an older version or direct SQL might have.
void store_directly(const Apexctl& ctl, const std::string& apex, const std::string& text) {
  auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting);
  REQUIRE(db.ok());
  const Name origin = Name::from_text(apex).value();
  auto file = read_master_text(text, origin);
  REQUIRE_MESSAGE(file.ok(), file.error());
  REQUIRE((*db)->replace_zone(origin, file->records).ok());
}

}  // namespace

TEST_SUITE("check") {
  TEST_CASE("all zones pass: a summary line, exit 0") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"check"});
    CHECK(r.code == 0);
    CHECK(r.out == "checked 1 zones: 0 failed, 0 warnings\n");
    r = ctl.run({"check", "--verbose"});
    CHECK(r.out == "example.com.: ok, 10 records, 0 glue\nchecked 1 zones: 0 failed, 0 warnings\n");
  }

  TEST_CASE("a failing zone is named with the rule it breaks, exit 1") {
    Apexctl ctl;
    ctl.init_with_example();
    store_directly(ctl, "bad.test.",
                   "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"
                   "www CNAME ns1\nwww TXT x\n");
    store_directly(ctl, "hidden.test.",
                   "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"
                   "sub NS ns.sub\nns.sub A 192.0.2.2\nmail.sub MX 10 ns1\n");
    auto r = ctl.run({"check"});
    CHECK(r.code == 1);
    CHECK(r.out ==
          "bad.test.: FAILED: www.bad.test.: CNAME and other data at the same name (RFC 1034 "
          "§3.6.2) [cname-and-other-data]\n"
          "hidden.test.: FAILED: mail.sub.hidden.test. MX: occluded by the delegation at "
          "sub.hidden.test. (RFC 1034 §4.2.1: below a zone cut only glue addresses, A and AAAA, "
          "may be kept); this data belongs in the delegated zone [occluded-data]\n"
          "checked 3 zones: 2 failed, 0 warnings\n");
    CHECK(ctl.run({"check", "example.com"}).code == 0);
    CHECK(ctl.run({"check", "bad.test"}).code == 1);
  }

  TEST_CASE("RDATA that does not match its type is reported, exit 1") {
    Apexctl ctl;
    ctl.init_with_example();
    store_directly(ctl, "raw.test.",
                   "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n");
    {  // An MX of one octet, as a raw SQL write could leave it.
      auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting);
      REQUIRE(db.ok());
      const Name apex = Name::from_text("raw.test.").value();
      Record bad{Name::from_text("mail.raw.test.").value(), RRType::MX, RRClass::IN, 300, {0}};
      REQUIRE((*db)->add_records(apex, {bad}).ok());
    }
    auto r = ctl.run({"check", "raw.test"});
    CHECK(r.code == 1);
    CHECK(r.out.starts_with("raw.test.: FAILED: mail.raw.test. MX preference: "));
  }

  TEST_CASE("warnings: in-zone name servers without addresses, glue no NS names") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    store_directly(ctl, "w.test.",
                   "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\n"
                   "sub NS ns.sub\nold.sub A 192.0.2.9\n");
    auto r = ctl.run({"check", "w.test", "--json"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "{\"checked\": 1, \"failed\": 0, \"zones\": [\n"
          "  {\"zone\": \"w.test.\", \"ok\": true, \"records\": 4, \"error\": null, \"warnings\": "
          "[\"w.test. NS ns1.w.test.: ns1.w.test. has no A or AAAA record in this zone\", "
          "\"sub.w.test. NS ns.sub.w.test.: no glue address (A or AAAA at ns.sub.w.test.); "
          "resolvers cannot follow the delegation to it (RFC 9471)\", \"old.sub.w.test. A: glue "
          "below the delegation sub.w.test. that no NS record names (it is never served as "
          "glue)\"], \"glue\": [{\"name\": \"old.sub.w.test.\", \"type\": \"A\", \"delegation\": "
          "\"sub.w.test.\"}], \"findings\": [{\"owner\": \"w.test.\", \"type\": \"NS\", \"rule\": "
          "\"ns-target-no-address\", \"message\": \"w.test. NS ns1.w.test.: ns1.w.test. has no A "
          "or AAAA record in this zone\", \"severity\": \"warning\"}, {\"owner\": \"sub.w.test.\", "
          "\"type\": \"NS\", \"rule\": \"missing-glue\", \"message\": \"sub.w.test. NS "
          "ns.sub.w.test.: no glue address (A or AAAA at ns.sub.w.test.); resolvers cannot follow "
          "the delegation to it (RFC 9471)\", \"severity\": \"warning\"}, {\"owner\": "
          "\"old.sub.w.test.\", \"type\": \"A\", \"rule\": \"unused-glue\", \"message\": "
          "\"old.sub.w.test. A: glue below the delegation sub.w.test. that no NS record names (it "
          "is never served as glue)\", \"severity\": \"warning\"}]}\n"
          "], \"missing\": []}\n");
  }

  TEST_CASE("an unknown zone is refused; extra arguments are usage errors") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"check", "nothing.test"});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: zone nothing.test. is not in the database\n");
    CHECK(ctl.run({"check", "a", "b"}).code == 2);
  }
}

}  // namespace apex::testing
