// Specification of the catalog zone's content (RFC 9432 §4): SOA, NS invalid., the schema
// version and one PTR per member under "zones".
#include "zones/catalog_zone.hpp"

#include <doctest/doctest.h>

#include "zones/rdata.hpp"

using namespace apex;

namespace {

Name name(const char* text) {
  return Name::from_text(text).value();
}

std::vector<std::string> lines(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const Record& r : records)
    out.push_back(r.owner.to_text() + " " + std::to_string(r.ttl) + " " + rrtype_to_text(r.type) +
                  " " + rdata_to_text(r.type, r.rdata));
  return out;
}

}  // namespace

TEST_CASE("a catalog lists its members as PTR records under zones, after SOA, NS and version") {
  auto records = catalog_records(
      name("catalog.hoster.test."), 2024,
      {{name("shop.example."), "5f3c0a19d2e84b71"}, {name("blog.example."), "00000000000000ff"}});
  REQUIRE_MESSAGE(records.ok(), records.error());
  CHECK(lines(*records) ==
        std::vector<std::string>{
            "catalog.hoster.test. 0 SOA invalid. invalid. 2024 300 60 14515200 0",
            "catalog.hoster.test. 0 NS invalid.",
            "version.catalog.hoster.test. 0 TXT \"2\"",
            "5f3c0a19d2e84b71.zones.catalog.hoster.test. 0 PTR shop.example.",
            "00000000000000ff.zones.catalog.hoster.test. 0 PTR blog.example.",
        });
}

TEST_CASE("an empty catalog is a valid zone with its serial") {
  auto zone = build_catalog_zone(name("cat.test."), 7, {});
  REQUIRE_MESSAGE(zone.ok(), zone.error());
  CHECK((*zone)->serial() == 7);
  CHECK((*zone)->record_count() == 3);
  CHECK((*zone)->apex() == name("cat.test."));
}

TEST_CASE("a built catalog holds every member") {
  auto zone = build_catalog_zone(name("cat.test."), 4294967295u,
                                 {{name("a.example."), "aa"}, {name("b.example."), "bb"}});
  REQUIRE_MESSAGE(zone.ok(), zone.error());
  CHECK((*zone)->serial() == 4294967295u);
  CHECK((*zone)->record_count() == 5);
  CHECK((*zone)->find(name("aa.zones.cat.test.").wire_view()) != nullptr);
}

TEST_CASE("labels that are not one label, and owners that would be too long, are refused") {
  CHECK(catalog_records(name("cat.test."), 1, {{name("a.example."), ""}}).error() ==
        "catalog member a.example.: bad label ''");
  CHECK(catalog_records(name("cat.test."), 1, {{name("a.example."), "x.y"}}).error() ==
        "catalog member a.example.: bad label 'x.y'");
  std::string long_apex;
  for (int i = 0; i < 4; ++i) long_apex += std::string(60, 'c') + ".";  // 245 octets of wire
  auto too_long = catalog_records(name(long_apex.c_str()), 1, {{name("a.example."), "abcdef"}});
  CHECK_FALSE(too_long.ok());
  CHECK(catalog_records(name(long_apex.c_str()), 1, {}).ok());
}
