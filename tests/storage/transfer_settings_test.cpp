// Specification of the stored transfer settings: TSIG keys, secondaries and the zones each
// secondary gets, read back in one call as apexd loads them.
#include "storage/transfer_settings.hpp"

#include <doctest/doctest.h>

#include "storage/database.hpp"
#include "tests/storage/temp_directory.hpp"
#include "tests/storage/two_zones_fixture.hpp"

namespace apex::storage {
namespace {

using test::name;
using test::soa;
using test::with_zones;

TsigKey key(const char* key_name, std::uint8_t fill = 0x5a) {
  return TsigKey{name(key_name), "hmac-sha256", std::vector<std::uint8_t>(32, fill)};
}

TransferSettings load(Database& db) {
  auto settings = db.load_transfer_settings();
  REQUIRE_MESSAGE(settings.ok(), settings.error());
  return std::move(settings).value();
}

}  // namespace

TEST_CASE("keys and secondaries come back as stored, in name and address order") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  REQUIRE(db->add_tsig_key(key("XFR.Hoster.Test", 0x01)).ok());
  REQUIRE(db->add_tsig_key({name("a-key."), "hmac-sha512", std::vector<std::uint8_t>(64, 2)}).ok());
  REQUIRE(db->add_secondary({"2001:db8::53", 5300, name("xfr.hoster.test."), true, {}}).ok());
  REQUIRE(db->add_secondary(
                {"192.0.2.53", 53, std::nullopt, false, {name("shop.test."), name("Blog.Test.")}})
              .ok());

  auto settings = load(*db);
  REQUIRE(settings.keys.size() == 2);
  CHECK(settings.keys[0].name.to_text() == "a-key.");
  CHECK(settings.keys[0].algorithm == "hmac-sha512");
  CHECK(settings.keys[0].secret == std::vector<std::uint8_t>(64, 2));
  CHECK(settings.keys[1].name.to_text() == "xfr.hoster.test.");  // stored lower-case
  CHECK(settings.keys[1].secret == std::vector<std::uint8_t>(32, 1));

  REQUIRE(settings.secondaries.size() == 2);
  const Secondary& v4 = settings.secondaries[0];
  CHECK(v4.endpoint() == "192.0.2.53:53");
  CHECK_FALSE(v4.key.has_value());
  CHECK_FALSE(v4.all_zones);
  REQUIRE(v4.zones.size() == 2);
  CHECK(v4.zones[0].to_text() == "blog.test.");
  CHECK(v4.zones[1].to_text() == "shop.test.");
  CHECK(v4.gets_zone(name("SHOP.test.")));
  CHECK_FALSE(v4.gets_zone(name("other.test.")));
  const Secondary& v6 = settings.secondaries[1];
  CHECK(v6.endpoint() == "[2001:db8::53]:5300");
  CHECK(v6.key == name("xfr.hoster.test."));
  CHECK(v6.all_zones);
  CHECK(v6.zones.empty());
  CHECK(v6.gets_zone(name("zone-added-later.test.")));

  CHECK(settings.find_key(name("A-KEY.")) == &settings.keys[0]);
  CHECK(settings.find_key(name("nope.")) == nullptr);
  CHECK(settings.find_secondary("192.0.2.53", 53) == &v4);
  CHECK(settings.find_secondary("192.0.2.53", 5300) == nullptr);
  CHECK(settings.users_of(name("xfr.hoster.test.")) ==
        std::vector<std::string>{"[2001:db8::53]:5300"});
}

TEST_CASE("duplicates, unknown keys and unknown zones are refused by the database itself") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  REQUIRE(db->add_tsig_key(key("k.")).ok());
  CHECK_FALSE(db->add_tsig_key(key("K.")).ok());
  REQUIRE(db->add_secondary({"192.0.2.53", 53, std::nullopt, true, {}}).ok());
  CHECK_FALSE(db->add_secondary({"192.0.2.53", 53, name("k."), true, {}}).ok());
  CHECK_FALSE(db->add_secondary({"192.0.2.54", 53, name("unknown."), true, {}}).ok());
  auto missing = db->add_secondary({"192.0.2.55", 53, std::nullopt, false, {name("nope.test.")}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().find("zone nope.test. is not in the database") != std::string::npos);
  auto settings = load(*db);
  CHECK(settings.keys.size() == 1);
  CHECK(settings.secondaries.size() == 1);  // the failed adds left nothing behind
}

TEST_CASE("a key in use cannot be deleted; deleting its secondary frees it") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  REQUIRE(db->add_tsig_key(key("k.")).ok());
  REQUIRE(db->add_secondary({"192.0.2.53", 53, name("k."), true, {}}).ok());
  CHECK_FALSE(db->delete_tsig_key(name("k.")).ok());
  CHECK(db->delete_secondary("192.0.2.53", 53).value());
  CHECK_FALSE(db->delete_secondary("192.0.2.53", 53).value());
  CHECK(db->delete_tsig_key(name("K.")).value());
  CHECK_FALSE(db->delete_tsig_key(name("k.")).value());
  CHECK(load(*db).keys.empty());
}

TEST_CASE("a deleted zone leaves a secondary's list without widening it to all zones") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  REQUIRE(db->add_secondary({"192.0.2.53", 53, std::nullopt, false, {name("shop.test.")}}).ok());
  REQUIRE(db->delete_zone(name("shop.test.")).value());
  auto settings = load(*db);
  REQUIRE(settings.secondaries.size() == 1);
  CHECK_FALSE(settings.secondaries[0].all_zones);
  CHECK(settings.secondaries[0].zones.empty());
  CHECK_FALSE(settings.secondaries[0].gets_zone(name("blog.test.")));
}

TEST_CASE("loading inside a caller's transaction joins it") {
  testing::TempDirectory dir;
  auto db = with_zones(dir / "t.db");
  auto done = db->transaction([&]() -> Status {
    if (auto added = db->add_tsig_key(key("k.")); !added) return added;
    auto settings = db->load_transfer_settings();
    if (!settings) return Error{settings.error()};
    CHECK(settings->keys.size() == 1);  // sees its own uncommitted write
    return Error{"roll back"};
  });
  CHECK_FALSE(done.ok());
  CHECK(load(*db).keys.empty());
}

}  // namespace apex::storage
