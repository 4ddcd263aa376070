// Specification of a zone's stored DNSSEC data: keys with their PKCS#8 private part and
// DNSKEY RDATA, active or retired, the zone's denial settings, and what leaves with the zone.
#include "storage/dnssec_store.hpp"

#include <doctest/doctest.h>

#include "storage/database.hpp"
#include "tests/storage/temp_directory.hpp"
#include "tests/storage/two_zones_fixture.hpp"

namespace apex::storage {
namespace {

using test::name;
using test::soa;
using test::with_zones;

// Settings with this denial of existence, the rest as stored by default.
DnssecSettings denial(DenialOfExistence how, bool opt_out) {
  DnssecSettings settings;
  settings.denial = how;
  settings.nsec3_opt_out = opt_out;
  return settings;
}

DnssecKeyRow key(std::uint16_t tag, std::int64_t created) {
  return DnssecKeyRow{tag,
                      13,
                      257,
                      {0x30, 0x41, static_cast<std::uint8_t>(tag)},
                      {1, 1, 3, 13, 0xaa},
                      DnssecKeyState::kActive,
                      created,
                      KeyTimes{created, created, {}, {}}};
}

ZoneDnssec dnssec_of(Database& db, const char* apex) {
  auto found = db.zone_dnssec(name(apex));
  REQUIRE_MESSAGE(found.ok(), found.error());
  REQUIRE(found->has_value());
  return std::move(**found);
}

}  // namespace

TEST_CASE("a stored key reads back as it was written, and is the zone's active key") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  CHECK(dnssec_of(*db, "shop.test.").active_key() == nullptr);
  REQUIRE(db->add_dnssec_key(name("shop.test."), key(4711, 1700000000)).ok());
  const ZoneDnssec shop = dnssec_of(*db, "Shop.Test.");
  REQUIRE(shop.keys.size() == 1);
  const DnssecKeyRow& k = shop.keys[0];
  CHECK(k.key_tag == 4711);
  CHECK(k.algorithm == 13);
  CHECK(k.flags == 257);
  CHECK(k.private_key == std::vector<std::uint8_t>{0x30, 0x41, 4711 % 256});
  CHECK(k.dnskey_rdata == std::vector<std::uint8_t>{1, 1, 3, 13, 0xaa});
  CHECK(k.state == DnssecKeyState::kActive);
  CHECK(k.created_s == 1700000000);
  CHECK(shop.active_key() == &shop.keys[0]);
  CHECK(dnssec_of(*db, "blog.test.").keys.empty());
}

TEST_CASE("key times read back as written, NULL as none, and are changed per key") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  REQUIRE(db->add_dnssec_key(name("shop.test."), key(1, 1700000000)).ok());
  DnssecKeyRow next = key(2, 1700000100);
  next.times = KeyTimes{1700000100, 1700003700, {}, {}};
  REQUIRE(db->add_dnssec_key(name("shop.test."), next).ok());
  ZoneDnssec shop = dnssec_of(*db, "shop.test.");
  REQUIRE(shop.keys.size() == 2);
  CHECK(shop.keys[0].times == KeyTimes{1700000000, 1700000000, {}, {}});
  CHECK(shop.keys[1].times == KeyTimes{1700000100, 1700003700, {}, {}});
  const KeyTimes ending{1700000000, 1700000000, 1700003700, 1700090000};
  CHECK(db->set_dnssec_key_times(name("shop.test."), shop.keys[0].id, ending).value());
  CHECK_FALSE(db->set_dnssec_key_times(name("blog.test."), shop.keys[0].id, ending).value());
  shop = dnssec_of(*db, "shop.test.");
  CHECK(shop.keys[0].times == ending);
  CHECK(shop.keys[1].times == KeyTimes{1700000100, 1700003700, {}, {}});
}

TEST_CASE("the rollover delays and the start of a disable are kept with the settings") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  const DnssecSettings defaults = dnssec_of(*db, "shop.test.").settings;
  CHECK(defaults.propagation_delay_s == 3600);
  CHECK(defaults.parent_ds_ttl_s == 86400);
  CHECK(defaults.registration_delay_s == 86400);
  CHECK_FALSE(defaults.delete_since_s);
  DnssecSettings settings{DenialOfExistence::kNsec, false, 1, 2, 3, 1700000000};
  REQUIRE(db->set_dnssec_settings(name("shop.test."), settings).ok());
  CHECK(dnssec_of(*db, "shop.test.").settings == settings);
  settings.delete_since_s.reset();
  REQUIRE(db->set_dnssec_settings(name("shop.test."), settings).ok());
  CHECK(dnssec_of(*db, "shop.test.").settings == settings);
}

TEST_CASE("settings default to NSEC and are replaced as a whole") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  CHECK(dnssec_of(*db, "shop.test.").settings.denial == DenialOfExistence::kNsec);
  REQUIRE(
      db->set_dnssec_settings(name("shop.test."), denial(DenialOfExistence::kNsec3, true)).ok());
  auto shop = dnssec_of(*db, "shop.test.");
  CHECK(shop.settings.denial == DenialOfExistence::kNsec3);
  CHECK(shop.settings.nsec3_opt_out);
  // Opt-out is an NSEC3 property (RFC 5155 §6): NSEC drops it.
  REQUIRE(db->set_dnssec_settings(name("shop.test."), denial(DenialOfExistence::kNsec, true)).ok());
  shop = dnssec_of(*db, "shop.test.");
  CHECK(shop.settings.denial == DenialOfExistence::kNsec);
  CHECK_FALSE(shop.settings.nsec3_opt_out);
}

TEST_CASE("retiring leaves the keys but no active one; signed_zones lists only active keys") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  REQUIRE(db->add_dnssec_key(name("shop.test."), key(1, 10)).ok());
  REQUIRE(db->add_dnssec_key(name("blog.test."), key(2, 20)).ok());
  REQUIRE(
      db->set_dnssec_settings(name("blog.test."), denial(DenialOfExistence::kNsec3, false)).ok());
  auto signed_zones = db->signed_zones();
  REQUIRE(signed_zones.ok());
  REQUIRE(signed_zones->size() == 2);
  CHECK((*signed_zones)[0].apex == name("blog.test."));  // by name
  CHECK((*signed_zones)[0].settings.denial == DenialOfExistence::kNsec3);
  CHECK((*signed_zones)[1].settings.denial == DenialOfExistence::kNsec);  // no settings row
  CHECK((*signed_zones)[1].active_key()->key_tag == 1);

  CHECK(db->retire_dnssec_keys(name("shop.test.")).value() == 1);
  CHECK(db->retire_dnssec_keys(name("shop.test.")).value() == 0);
  const ZoneDnssec shop = dnssec_of(*db, "shop.test.");
  REQUIRE(shop.keys.size() == 1);
  CHECK(shop.keys[0].state == DnssecKeyState::kRetired);
  CHECK(shop.active_key() == nullptr);
  signed_zones = db->signed_zones();
  REQUIRE(signed_zones->size() == 1);
  CHECK(signed_zones->front().apex == name("blog.test."));
}

TEST_CASE("a new key after older ones is the active one") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  REQUIRE(db->add_dnssec_key(name("shop.test."), key(1, 10)).ok());
  REQUIRE(db->retire_dnssec_keys(name("shop.test.")).ok());
  REQUIRE(db->add_dnssec_key(name("shop.test."), key(2, 20)).ok());
  const ZoneDnssec shop = dnssec_of(*db, "shop.test.");
  REQUIRE(shop.keys.size() == 2);
  CHECK(shop.active_key()->key_tag == 2);
}

TEST_CASE("keys and settings leave with their zone; an unknown zone has none and takes none") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  REQUIRE(db->add_dnssec_key(name("shop.test."), key(1, 10)).ok());
  REQUIRE(
      db->set_dnssec_settings(name("shop.test."), denial(DenialOfExistence::kNsec3, false)).ok());
  REQUIRE(db->delete_zone(name("shop.test.")).value());
  REQUIRE(db->replace_zone(name("shop.test."), {soa("shop.test.")}).ok());
  const ZoneDnssec shop = dnssec_of(*db, "shop.test.");
  CHECK(shop.keys.empty());
  CHECK(shop.settings.denial == DenialOfExistence::kNsec);
  CHECK(db->signed_zones().value().empty());

  CHECK_FALSE(db->zone_dnssec(name("none.test.")).value().has_value());
  CHECK_FALSE(db->add_dnssec_key(name("none.test."), key(3, 30)).ok());
  CHECK_FALSE(db->set_dnssec_settings(name("none.test."), {}).ok());
}

TEST_CASE("a key stored retired signs nothing") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  DnssecKeyRow row = key(1, 10);
  row.state = DnssecKeyState::kRetired;
  REQUIRE(db->add_dnssec_key(name("shop.test."), row).ok());
  CHECK(db->signed_zones().value().empty());
  CHECK(dnssec_of(*db, "shop.test.").active_key() == nullptr);
}

}  // namespace apex::storage
