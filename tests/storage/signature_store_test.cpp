// Specification of a signed zone's stored signatures: rows read back as written, a save
// writes only the rows that changed and deletes the gone, they leave with their zone, and a
// second load of a signed zone signs nothing (RFC 6781 §4.4.2: renew when due, not at every
// publication).
#include "storage/signature_store.hpp"

#include <doctest/doctest.h>

#include "storage/database.hpp"
#include "storage/zone_loader.hpp"
#include "tests/storage/temp_directory.hpp"
#include "tests/storage/two_zones_fixture.hpp"
#include "zones/master_file.hpp"
#include "zones/signing_key.hpp"

namespace apex::storage {
namespace {

using test::name;
using test::soa;
using test::with_zones;

SignatureKey key_of(const char* owner, RRType type, std::uint16_t tag) {
  const Name n = name(owner).lowercased();
  return SignatureKey{{n.wire().begin(), n.wire().end()}, type, tag};
}

StoredSignature signature(std::uint8_t fill) {
  StoredSignature s{std::vector<std::uint8_t>(90, fill), {}};
  s.digest.fill(static_cast<std::uint8_t>(fill + 1));
  return s;
}

ZoneSignatures read(Database& db, const char* apex) {
  auto rows = db.zone_signatures(name(apex));
  REQUIRE_MESSAGE(rows.ok(), rows.error());
  return std::move(*rows);
}

void sign_zone_in(Database& db, const char* apex, const char* text) {
  auto zone = read_master_text(text, name(apex));
  REQUIRE_MESSAGE(zone, zone.error());
  REQUIRE(db.replace_zone(name(apex), zone->records).ok());
  auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(key);
  DnssecKeyRow row{key->key_tag(),
                   static_cast<std::uint8_t>(key->algorithm()),
                   key->flags(),
                   key->to_pkcs8(),
                   {key->dnskey_rdata().begin(), key->dnskey_rdata().end()},
                   DnssecKeyState::kActive,
                   1'700'000'000,
                   KeyTimes{1'700'000'000, 1'700'000'000, {}, {}}};
  REQUIRE(db.add_dnssec_key(name(apex), row).ok());
}

}  // namespace

TEST_CASE("stored signatures read back as they were written, per zone") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  ZoneSignatures rows{{key_of("www.Shop.test.", RRType::A, 4711), signature(1)},
                      {key_of("shop.test.", RRType::SOA, 4711), signature(2)},
                      {key_of("shop.test.", RRType::SOA, 815), signature(3)}};
  auto saved = db->save_zone_signatures(name("shop.test."), {}, rows);
  REQUIRE_MESSAGE(saved.ok(), saved.error());
  CHECK(saved->written == 3);
  CHECK(saved->deleted == 0);
  CHECK(read(*db, "SHOP.test.") == rows);
  CHECK(read(*db, "blog.test.").empty());
  CHECK(read(*db, "absent.test.").empty());
  CHECK_FALSE(db->save_zone_signatures(name("absent.test."), {}, rows).ok());
}

TEST_CASE("a save writes the new and changed rows, deletes the gone, leaves the rest") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  const ZoneSignatures before{{key_of("a.shop.test.", RRType::A, 1), signature(1)},
                              {key_of("b.shop.test.", RRType::A, 1), signature(2)},
                              {key_of("c.shop.test.", RRType::A, 1), signature(3)}};
  REQUIRE(db->save_zone_signatures(name("shop.test."), {}, before).ok());
  ZoneSignatures after = before;
  after.erase(key_of("a.shop.test.", RRType::A, 1));                    // gone
  after[key_of("b.shop.test.", RRType::A, 1)] = signature(7);           // renewed
  after.emplace(key_of("d.shop.test.", RRType::TXT, 1), signature(4));  // new
  auto saved = db->save_zone_signatures(name("shop.test."), before, after);
  REQUIRE_MESSAGE(saved.ok(), saved.error());
  CHECK(saved->written == 2);
  CHECK(saved->deleted == 1);
  CHECK(read(*db, "shop.test.") == after);
  // Nothing changed: nothing written.
  saved = db->save_zone_signatures(name("shop.test."), after, after);
  REQUIRE(saved.ok());
  CHECK(saved->written == 0);
  CHECK(saved->deleted == 0);
}

TEST_CASE("a zone's signatures leave with it") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  REQUIRE(db->save_zone_signatures(name("shop.test."), {},
                                   {{key_of("shop.test.", RRType::SOA, 1), signature(1)}})
              .ok());
  REQUIRE(db->delete_zone(name("shop.test.")).value());
  REQUIRE(db->replace_zone(name("shop.test."), {soa("shop.test.")}).ok());
  CHECK(read(*db, "shop.test.").empty());
}

TEST_CASE("loading a signed zone stores its signatures; the next load signs nothing") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  sign_zone_in(*db, "shop.test.", R"(
@    3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@    3600 IN NS  ns1
ns1  3600 IN A   192.0.2.1
www  300  IN A   192.0.2.80
)");
  LoadReport first;
  REQUIRE(load_zone_index(*db, first).ok());
  REQUIRE(first.signed_zones.size() == 1);
  CHECK(first.signatures_reused == 0);
  // SOA, NS, DNSKEY, CDS and CDNSKEY at the apex, ns1 A, www A, and the 3 NSEC.
  CHECK(first.signatures_made == 10);
  CHECK(read(*db, "shop.test.").size() == 10);
  CHECK(first.unsaved.empty());
  REQUIRE(first.signed_zones.front().renew_at_s.has_value());

  LoadReport second;
  auto index = load_zone_index(*db, second);
  REQUIRE(index.ok());
  CHECK(second.signatures_made == 0);
  CHECK(second.signatures_reused == 10);
  CHECK(second.signed_zones.front().renew_at_s == first.signed_zones.front().renew_at_s);

  // A record added: its RRset, its NSEC and the NSEC before it are signed; one row more.
  REQUIRE(db->add_records(
                name("shop.test."),
                {Record{name("mail.shop.test."), RRType::A, RRClass::IN, 300, {192, 0, 2, 25}}})
              .ok());
  LoadReport third;
  REQUIRE(load_zone_index(*db, third).ok());
  CHECK(third.signatures_made == 3);
  CHECK(third.signatures_reused == 9);
  CHECK(read(*db, "shop.test.").size() == 12);
}

}  // namespace apex::storage
