// Specification of the stored catalog (RFC 9432): its name, a serial that moves in the
// transaction of every zone creation and deletion, and member labels that last as long as
// the zone.
#include "storage/catalog.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "tests/storage/temp_directory.hpp"

namespace apex::storage {
namespace {

using testing::TempDirectory;

Name name(const char* text) {
  return Name::from_text(text).value();
}

Record soa(const char* apex, std::uint8_t serial = 1) {
  return Record{name(apex), RRType::SOA, RRClass::IN, 60, {0, 0, 0, 0, 0, serial, 0, 0, 0, 2, 0,
                                                           0, 0, 3, 0, 0, 0,      4, 0, 0, 0, 5}};
}

Record a_record(const char* owner) {
  return Record{name(owner), RRType::A, RRClass::IN, 60, {192, 0, 2, 1}};
}

std::uint32_t serial(Database& db) {
  auto state = db.catalog_state();
  REQUIRE_MESSAGE(state.ok(), state.error());
  return state->serial;
}

std::string label_of(Database& db, const char* zone) {
  auto catalog = db.catalog();
  REQUIRE_MESSAGE(catalog.ok(), catalog.error());
  for (const CatalogMember& m : catalog->members)
    if (m.zone == name(zone)) return m.label;
  FAIL("zone not in the catalog: " << zone);
  return {};
}

void run_sql(const std::filesystem::path& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("a new database has no catalog and a serial that is not 0") {
  TempDirectory dir;
  auto db = Database::open(dir / "t.db", OpenMode::kCreate).value();
  auto state = db->catalog_state();
  REQUIRE_MESSAGE(state.ok(), state.error());
  CHECK_FALSE(state->name);
  CHECK(state->serial != 0);
  CHECK(db->catalog()->members.empty());
}

TEST_CASE("creating and deleting zones raises the serial by one each; edits do not") {
  TempDirectory dir;
  auto db = Database::open(dir / "t.db", OpenMode::kCreate).value();
  const std::uint32_t start = serial(*db);
  REQUIRE(db->replace_zone(name("shop.test."), {soa("shop.test.")}).ok());
  CHECK(serial(*db) == start + 1);
  REQUIRE(db->replace_zone(name("blog.test."), {soa("blog.test.")}).ok());
  CHECK(serial(*db) == start + 2);

  REQUIRE(db->replace_zone(name("shop.test."), {soa("shop.test.", 2)}).ok());
  REQUIRE(db->add_records(name("shop.test."), {a_record("www.shop.test.")}).ok());
  REQUIRE(*db->delete_records(name("shop.test."), name("www.shop.test.")) == 1);
  CHECK(serial(*db) == start + 2);

  CHECK(*db->delete_zone(name("blog.test.")));
  CHECK(serial(*db) == start + 3);
  CHECK_FALSE(*db->delete_zone(name("blog.test.")));
  CHECK(serial(*db) == start + 3);
}

TEST_CASE("the serial moves in the change's own transaction: a rolled-back creation leaves it") {
  TempDirectory dir;
  auto db = Database::open(dir / "t.db", OpenMode::kCreate).value();
  const std::uint32_t start = serial(*db);
  auto failed = db->transaction([&]() -> Status {
    if (auto created = db->replace_zone(name("shop.test."), {soa("shop.test.")}); !created)
      return Error{created.error()};
    CHECK(serial(*db) == start + 1);  // seen inside the transaction
    return Error{"refused"};
  });
  CHECK_FALSE(failed.ok());
  CHECK(serial(*db) == start);
  CHECK(db->catalog()->members.empty());
}

TEST_CASE("a member label lasts as long as the zone; a zone created again gets a new one") {
  TempDirectory dir;
  auto db = Database::open(dir / "t.db", OpenMode::kCreate).value();
  REQUIRE(db->replace_zone(name("shop.test."), {soa("shop.test.")}).ok());
  REQUIRE(db->replace_zone(name("blog.test."), {soa("blog.test.")}).ok());
  const std::string label = label_of(*db, "shop.test.");
  CHECK(label.size() == 16);
  CHECK(label.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(label_of(*db, "blog.test.") != label);

  REQUIRE(db->add_records(name("shop.test."), {a_record("www.shop.test.")}).ok());
  REQUIRE(db->replace_zone(name("Shop.Test."), {soa("shop.test.", 3)}).ok());
  CHECK(label_of(*db, "shop.test.") == label);

  REQUIRE(*db->delete_zone(name("shop.test.")));
  REQUIRE(db->replace_zone(name("shop.test."), {soa("shop.test.")}).ok());
  CHECK(label_of(*db, "shop.test.") != label);
}

TEST_CASE("members come in zone name order") {
  TempDirectory dir;
  auto db = Database::open(dir / "t.db", OpenMode::kCreate).value();
  for (const char* apex : {"c.test.", "a.test.", "b.test."})
    REQUIRE(db->replace_zone(name(apex), {soa(apex)}).ok());
  auto catalog = db->catalog();
  REQUIRE(catalog->members.size() == 3);
  CHECK(catalog->members[0].zone == name("a.test."));
  CHECK(catalog->members[2].zone == name("c.test."));
}

TEST_CASE("setting and unsetting the catalog name raises the serial, which survives reopening") {
  TempDirectory dir;
  std::uint32_t last = 0;
  {
    auto db = Database::open(dir / "t.db", OpenMode::kCreate).value();
    const std::uint32_t start = serial(*db);
    REQUIRE(db->set_catalog(name("Catalog.Hoster.Test.")).ok());
    auto state = db->catalog_state();
    CHECK(state->name->to_text() == "catalog.hoster.test.");  // stored lower-case
    CHECK(state->serial == start + 1);
    REQUIRE(db->set_catalog(std::nullopt).ok());
    CHECK_FALSE(db->catalog_state()->name);
    REQUIRE(db->set_catalog(name("cat.test.")).ok());
    last = serial(*db);
    CHECK(last == start + 3);
  }
  auto db = Database::open(dir / "t.db", OpenMode::kExisting).value();
  CHECK(db->catalog_state()->name == name("cat.test."));
  CHECK(serial(*db) == last);
}

TEST_CASE("the serial wraps from 2^32 - 1 to 1, never 0 (RFC 1982)") {
  TempDirectory dir;
  Database::open(dir / "t.db", OpenMode::kCreate).value().reset();
  run_sql(dir / "t.db", "UPDATE catalog SET serial = 4294967295");
  auto db = Database::open(dir / "t.db", OpenMode::kExisting).value();
  CHECK(serial(*db) == 4294967295u);
  REQUIRE(db->replace_zone(name("shop.test."), {soa("shop.test.")}).ok());
  CHECK(serial(*db) == 1);
}

TEST_CASE("zones of a database from before the catalog get distinct labels on upgrade") {
  TempDirectory dir;
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open((dir / "v6.db").c_str(), &raw) == SQLITE_OK);
    REQUIRE(migrate_to(raw, 6).ok());
    REQUIRE(sqlite3_exec(raw, "INSERT INTO zones (name) VALUES ('a.test.'), ('b.test.')", nullptr,
                         nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  auto db = Database::open(dir / "v6.db", OpenMode::kExisting);
  REQUIRE_MESSAGE(db.ok(), db.error());
  const std::string a = label_of(**db, "a.test.");
  CHECK(a.size() == 16);
  CHECK(a != label_of(**db, "b.test."));
  CHECK_FALSE((*db)->catalog_state()->name);
}

}  // namespace apex::storage
