// Specification of zone validation: bad zones are refused with a message naming the problem.
#include "zones/zone_builder.hpp"

#include "tests/zones/answer_fixture.hpp"
#include "zones/alias_table.hpp"

using namespace apex;

namespace {

std::string build_error(const std::string& text) {
  auto apex = *Name::from_text("example.com.");
  auto file = read_master_text(text, apex, "t.zone");
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.error()));
  auto zone = build_zone(apex, std::move(file->records));
  return zone.ok() ? "" : zone.error();
}

const std::string kHead =
    "@ 300 IN SOA ns1 h 1 2 3 4 60\n@ 300 IN NS ns1\nns1 300 IN A 192.0.2.1\n";

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
  CHECK(build_error(kHead + "@ 300 IN CNAME other.test.\n").find("use ALIAS") != std::string::npos);
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

TEST_CASE("ALIAS rules (ARCHITECTURE.md §5): one per owner, alone with its addresses") {
  CHECK(build_error(kHead + "@ 300 IN ALIAS lb.example.net.\n@ 300 IN MX 10 mail\n") == "");
  CHECK(
      build_error(kHead + "shop 300 IN ALIAS a.example.net.\nshop 300 IN ALIAS b.example.net.\n") ==
      "shop.example.com.: more than one ALIAS record at the same name");
  CHECK(
      build_error(kHead + "shop 300 IN ALIAS a.example.net.\nshop 300 IN CNAME b.example.net.\n") ==
      "shop.example.com.: ALIAS and CNAME at the same name (a CNAME allows no other data)");
  CHECK(build_error(kHead + "shop 300 IN ALIAS a.example.net.\nshop 300 IN A 192.0.2.7\n") ==
        "shop.example.com.: ALIAS and static A records at the same name (an ALIAS supplies the "
        "addresses)");
  CHECK(build_error(kHead + "@ 300 IN ALIAS a.example.net.\n@ 300 IN AAAA 2001:db8::1\n") ==
        "example.com.: ALIAS and static AAAA records at the same name (an ALIAS supplies the "
        "addresses)");
  CHECK(build_error(kHead + "Shop 300 IN ALIAS sHOP.example.com.\n") ==
        "Shop.example.com.: ALIAS target is the owner itself");
}

TEST_CASE("an ALIAS may not sit at or below a delegation (RFC 1034 §4.2.1)") {
  const std::string cut = kHead + "sub 300 IN NS ns.other.test.\n";
  CHECK(build_error(cut + "www.sub 300 IN ALIAS lb.example.net.\n") ==
        "www.sub.example.com.: ALIAS at or below the delegation point sub.example.com. (RFC 1034 "
        "§4.2.1: that data is not authoritative)");
  CHECK(build_error(cut + "sub 300 IN ALIAS lb.example.net.\n") ==
        "sub.example.com.: ALIAS at or below the delegation point sub.example.com. (RFC 1034 "
        "§4.2.1: that data is not authoritative)");
}

TEST_CASE("RDATA must match its type; ALIAS targets differing in case are one record") {
  // Records from storage bypass the master-file reader's RDATA checks.
  auto with_rdata = [](RRType type, std::vector<std::uint8_t> rdata) {
    auto apex = *Name::from_text("example.com.");
    auto file = read_master_text(kHead, apex, "t.zone");
    REQUIRE(file.ok());
    file->records.push_back(
        Record{*Name::from_text("shop.example.com."), type, RRClass::IN, 300, rdata});
    auto zone = build_zone(apex, std::move(file->records));
    return zone.ok() ? "" : zone.error();
  };
  CHECK(with_rdata(RRType::ALIAS, {1, 'a', 0}) == "");
  CHECK(with_rdata(RRType::ALIAS, {1, 'a', 0, 0}) ==
        "shop.example.com. ALIAS: 1 octet after the last field");
  CHECK(with_rdata(RRType::ALIAS, {1, 'a'}) ==
        "shop.example.com. ALIAS target: name runs past the end of the RDATA");
  CHECK(with_rdata(RRType::ALIAS, {}) ==
        "shop.example.com. ALIAS target: name runs past the end of the RDATA");
  CHECK(with_rdata(RRType::MX, {0, 10, 1, 'a', 0}) == "");
  CHECK(with_rdata(RRType::MX, {0, 10}).starts_with("shop.example.com. MX exchange: "));
  CHECK(with_rdata(RRType::A, {192, 0, 2}).starts_with("shop.example.com. A"));
  CHECK(with_rdata(static_cast<RRType>(65280), {1, 2, 3}) == "");  // unknown: opaque
  auto zone = apex::test::zone_from_text(
      "example.com.",
      kHead + "shop 300 IN ALIAS LB.Example.NET.\nshop 300 IN ALIAS lb.example.net.\n");
  CHECK(zone->record_count() == 4);
  // Kept lower-cased: the alias table key.
  const Node* shop = zone->find(Name::from_text("shop.example.com.")->wire_view());
  REQUIRE(shop);
  CHECK(alias_target_key(*shop->find(RRType::ALIAS)) ==
        Name::from_text("lb.example.net.")->wire_view());
}

namespace {

// An RRSIG line over type `covered` at owner with TTL ttl; the signature octets don't matter
// to the builder.
std::string rrsig(const std::string& owner, const std::string& covered, int ttl) {
  return owner + " " + std::to_string(ttl) + " IN RRSIG " + covered + " 13 3 " +
         std::to_string(ttl) +
         " 20270101000000 20260101000000 12345 example.com. AAECAwQFBgcICQoLDA0ODw==\n";
}

}  // namespace

TEST_CASE("RRSIGs are grouped by the type they cover, each with its RRset's TTL (RFC 4034 §3)") {
  const std::string text = kHead +
                           "www 300 IN A 192.0.2.80\nwww 60 IN NSEC example.com. A RRSIG NSEC\n" +
                           rrsig("www", "A", 300) + rrsig("www", "NSEC", 60);
  CHECK(build_error(text).empty());
  auto zone = apex::test::zone_from_text("example.com.", text);
  const Node* www = zone->find(Name::from_text("www.example.com.")->wire_view());
  REQUIRE(www);
  const RRset* a = www->find(RRType::A);
  const RRset* nsec = www->find(RRType::NSEC);
  REQUIRE(a->rrsig);
  REQUIRE(nsec->rrsig);
  CHECK(a->rrsig->covered_type() == RRType::A);
  CHECK(a->rrsig->ttl == 300);
  CHECK(nsec->rrsig->covered_type() == RRType::NSEC);
  CHECK(nsec->rrsig->ttl == 60);
  CHECK_FALSE(zone->is_signed());  // the SOA has no signature
  // Signatures over one type still share one TTL.
  CHECK(build_error(kHead + "www 300 IN A 192.0.2.80\n" + rrsig("www", "A", 300) +
                    rrsig("www", "A", 60))
            .find("one TTL per RRset") != std::string::npos);
}

TEST_CASE("a CNAME's owner holds its RRSIG and NSEC in a signed zone (RFC 4035 §2.5)") {
  CHECK(build_error(kHead + "www 300 IN CNAME web\nweb 300 IN A 192.0.2.1\n" +
                    "www 60 IN NSEC web.example.com. CNAME RRSIG NSEC\n" +
                    rrsig("www", "CNAME", 300))
            .empty());
  CHECK(build_error(kHead + "www 300 IN CNAME web\nwww 300 IN TXT \"x\"\n")
            .find("CNAME and other data") != std::string::npos);
}
