// Specification of zone validation: bad zones are refused with a message naming the problem.
#include "zones/zone_builder.hpp"

#include "tests/zones/answer_fixture.hpp"

using namespace apex;

namespace {

std::string build_error(const std::string& text) {
  auto apex = *Name::from_text("example.com.");
  auto file = read_master_text(text, apex, "t.zone");
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.error()));
  auto zone = build_zone(apex, std::move(file->records));
  return zone.ok() ? "" : zone.error();
}

const std::string kHead = "@ 300 IN SOA ns1 h 1 2 3 4 60\n@ 300 IN NS ns1\nns1 300 IN A 192.0.2.1\n";

}  // namespace

TEST_CASE("a minimal zone builds and counts its records") {
  auto zone = apex::test::zone_from_text("example.com.", kHead);
  CHECK(zone->record_count() == 3);
  CHECK(zone->serial() == 1);
  CHECK(zone->negative_ttl() == 60);
}

TEST_CASE("the apex needs exactly one SOA and some NS") {
  CHECK(build_error("@ 300 IN NS ns1\n") == "zone example.com.: no SOA record at the apex");
  CHECK(build_error(kHead + "@ 300 IN SOA ns2 h 2 2 3 4 60\n") ==
        "zone example.com.: more than one SOA record at the apex");
  CHECK(build_error("@ 300 IN SOA ns1 h 1 2 3 4 60\n") ==
        "zone example.com.: no NS records at the apex");
}

TEST_CASE("CNAME rules (RFC 1034 §3.6.2, RFC 2181 §10.1)") {
  CHECK(build_error(kHead + "@ 300 IN CNAME other.test.\n").find("use ALIAS") !=
        std::string::npos);
  CHECK(build_error(kHead + "www 300 IN CNAME a.test.\nwww 300 IN TXT \"x\"\n") ==
        "www.example.com.: CNAME and other data at the same name (RFC 1034 §3.6.2)");
}

TEST_CASE("records outside the zone, SOA below the apex, TTL disagreement") {
  CHECK(build_error(kHead + "www.example.org. 300 IN A 192.0.2.1\n") ==
        "www.example.org. A: owner is outside the zone example.com.");
  CHECK(build_error(kHead + "sub 300 IN SOA ns1 h 1 2 3 4 60\n") ==
        "sub.example.com.: SOA record below the zone apex");
  CHECK(build_error(kHead + "ns1 600 IN A 192.0.2.2\n") ==
        "ns1.example.com. A: TTL 600 differs from the RRset's TTL 300 (RFC 2181 §5.2: one TTL "
        "per RRset)");
}

TEST_CASE("duplicate records collapse into one (RFC 2181 §5)") {
  auto zone = apex::test::zone_from_text("example.com.", kHead + "ns1 300 IN A 192.0.2.1\n");
  CHECK(zone->record_count() == 3);
}
