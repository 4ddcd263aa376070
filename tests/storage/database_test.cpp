// Specification of the storage layer: schema migrations, durability across reopen, zone and
// record operations, closest-enclosing-zone lookup, transactions, and the startup stream.
#include "storage/database.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "storage/migrations.hpp"
#include "tests/storage/temp_directory.hpp"
#include "zones/name.hpp"
#include "zones/record.hpp"

namespace apex::storage {
namespace {

using testing::TempDirectory;

Name name(std::string_view text) {
  return Name::from_text(text).value();
}

Record a_record(std::string_view owner, std::uint8_t last_octet, std::uint32_t ttl = 3600) {
  return Record{name(owner), RRType::A, RRClass::IN, ttl, {192, 0, 2, last_octet}};
}

// A minimal valid-looking zone: SOA, NS and one address (storage does not validate).
std::vector<Record> small_zone(std::string_view apex) {
  const std::string a(apex);
  return {Record{name(a), RRType::SOA, RRClass::IN, 3600, {0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0,
                                                           0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5}},
          Record{name(a), RRType::NS, RRClass::IN, 3600, {3, 'n', 's', '1', 0}},
          a_record("www." + a, 1)};
}

std::unique_ptr<Database> create(const std::filesystem::path& path) {
  auto db = Database::open(path, OpenMode::kCreate);
  REQUIRE_MESSAGE(db.ok(), db.error());
  return std::move(db).value();
}

std::map<std::string, std::vector<Record>> all_zones(Database& db) {
  std::map<std::string, std::vector<Record>> zones;
  auto done = db.for_each_zone([&](const Name& apex, std::vector<Record>&& records) {
    zones[apex.to_text()] = std::move(records);
  });
  REQUIRE_MESSAGE(done.ok(), done.error());
  return zones;
}

// Runs SQL through a connection of its own, as another process would.
void raw_sql(const std::filesystem::path& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  std::string text = message != nullptr ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, text);
}

}  // namespace

TEST_SUITE("opening and migrations") {
  TEST_CASE("a new database is created at the current schema version") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    auto version = db->schema_version();
    REQUIRE(version.ok());
    CHECK(*version == current_schema_version());
    CHECK(all_zones(*db).empty());
    auto zones = db->list_zones();
    REQUIRE(zones.ok());
    CHECK(zones->empty());
  }

  TEST_CASE("the database is in WAL mode: a write leaves a -wal file beside it") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    REQUIRE(db->replace_zone(name("example.com."), small_zone("example.com.")).ok());
    CHECK(std::filesystem::exists(dir / "apexdns.db-wal"));
  }

  TEST_CASE("reopening keeps the data and does not migrate again") {
    TempDirectory dir;
    {
      auto db = create(dir / "apexdns.db");
      REQUIRE(db->replace_zone(name("example.com."), small_zone("example.com.")).ok());
    }
    auto db = Database::open(dir / "apexdns.db", OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    CHECK(*(*db)->schema_version() == current_schema_version());
    auto zones = all_zones(**db);
    REQUIRE(zones.size() == 1);
    CHECK(zones["example.com."] == small_zone("example.com."));
    // kCreate on an existing database is harmless too (apexctl init is idempotent).
    auto again = Database::open(dir / "apexdns.db", OpenMode::kCreate);
    REQUIRE(again.ok());
    CHECK(all_zones(**again).size() == 1);
  }

  TEST_CASE("an existing database is required unless creating") {
    TempDirectory dir;
    auto db = Database::open(dir / "missing.db", OpenMode::kExisting);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error() == "database " + (dir / "missing.db").string() + ": no such file");
    CHECK_FALSE(std::filesystem::exists(dir / "missing.db"));
  }

  TEST_CASE("an empty file is not an apexdns database") {
    TempDirectory dir;
    std::ofstream(dir / "empty.db").close();
    auto db = Database::open(dir / "empty.db", OpenMode::kExisting);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error() ==
          "database " + (dir / "empty.db").string() + ": not an apexdns database (empty)");
  }

  TEST_CASE("a file that is not SQLite is refused with SQLite's message") {
    TempDirectory dir;
    std::ofstream(dir / "text.db") << "this is not a database, just some text padding it out\n";
    auto db = Database::open(dir / "text.db", OpenMode::kCreate);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().starts_with("database " + (dir / "text.db").string() + ": "));
    CHECK(db.error().find("not a database") != std::string::npos);
  }

  TEST_CASE("someone else's SQLite database is never adopted") {
    TempDirectory dir;
    raw_sql(dir / "other.db", "CREATE TABLE customers (id INTEGER)");
    auto db = Database::open(dir / "other.db", OpenMode::kCreate);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().find("not an apexdns database") != std::string::npos);
  }

  TEST_CASE("a database from a newer apexdns is refused, not downgraded") {
    TempDirectory dir;
    create(dir / "apexdns.db");
    raw_sql(dir / "apexdns.db", "PRAGMA user_version = 999");
    auto db = Database::open(dir / "apexdns.db", OpenMode::kExisting);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().find("schema version 999 is newer than this program supports") !=
          std::string::npos);
  }
}

TEST_SUITE("zones and records") {
  TEST_CASE("replace_zone creates, then replaces a zone's records atomically") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    auto created = db->replace_zone(name("Example.COM."), small_zone("Example.COM."));
    REQUIRE(created.ok());
    CHECK(*created == ZoneWrite::kCreated);

    std::vector<Record> next = {small_zone("example.com.")[0], a_record("new.example.com.", 9)};
    auto replaced = db->replace_zone(name("example.com."), next);
    REQUIRE(replaced.ok());
    CHECK(*replaced == ZoneWrite::kReplaced);

    auto zones = all_zones(*db);
    REQUIRE(zones.size() == 1);
    // The zone is keyed in lower case; owners keep the case they were written with.
    CHECK(zones.begin()->first == "example.com.");
    CHECK(zones["example.com."] == next);
  }

  TEST_CASE("owner case, type, TTL and RDATA octets survive a round trip") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    std::vector<Record> records = {
        Record{name("MiXeD.example.com."), RRType::TXT, RRClass::IN, 0, {0}},  // empty string
        Record{name("a\\.b.example.com."), static_cast<RRType>(65280), RRClass::IN, kMaxTtl, {}},
        a_record("x.example.com.", 255, 1)};
    REQUIRE(db->replace_zone(name("example.com."), records).ok());
    auto stored = db->zone_records(name("EXAMPLE.com."));
    REQUIRE(stored.ok());
    REQUIRE(stored->has_value());
    CHECK(**stored == records);
    CHECK((**stored)[0].owner.to_text() == "MiXeD.example.com.");
  }

  TEST_CASE("zone_records tells a missing zone from an empty one") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    REQUIRE(db->replace_zone(name("empty.test."), {}).ok());
    auto empty = db->zone_records(name("empty.test."));
    REQUIRE(empty.ok());
    REQUIRE(empty->has_value());
    CHECK((*empty)->empty());
    auto missing = db->zone_records(name("missing.test."));
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->has_value());
  }

  TEST_CASE("list_zones gives names in order with record counts") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    REQUIRE(db->replace_zone(name("b.test."), small_zone("b.test.")).ok());
    REQUIRE(db->replace_zone(name("a.test."), {}).ok());
    auto zones = db->list_zones();
    REQUIRE(zones.ok());
    REQUIRE(zones->size() == 2);
    CHECK((*zones)[0].apex.to_text() == "a.test.");
    CHECK((*zones)[0].record_count == 0);
    CHECK((*zones)[1].apex.to_text() == "b.test.");
    CHECK((*zones)[1].record_count == 3);
  }

  TEST_CASE("the provider flag: off for a new zone, set and read back, kept across a replace") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    REQUIRE(db->replace_zone(name("hostco.example."), small_zone("hostco.example.")).ok());
    REQUIRE(db->replace_zone(name("shop.example."), small_zone("shop.example.")).ok());
    CHECK(*db->zone_provider(name("hostco.example.")) == false);
    CHECK(db->provider_zones()->empty());

    REQUIRE(db->set_zone_provider(name("HostCo.example."), true).ok());
    CHECK(*db->zone_provider(name("hostco.example.")) == true);
    auto providers = db->provider_zones();
    REQUIRE(providers->size() == 1);
    CHECK(providers->front().to_text() == "hostco.example.");
    auto zones = db->list_zones();
    CHECK((*zones)[0].provider);
    CHECK_FALSE((*zones)[1].provider);
    // Replacing the records (an import) keeps the zone row and its flag.
    REQUIRE(db->replace_zone(name("hostco.example."), small_zone("hostco.example.")).ok());
    CHECK(*db->zone_provider(name("hostco.example.")) == true);

    REQUIRE(db->set_zone_provider(name("hostco.example."), false).ok());
    CHECK(db->provider_zones()->empty());
    // A zone that is not stored has no flag, and cannot be given one.
    CHECK_FALSE(db->zone_provider(name("other.example."))->has_value());
    auto missing = db->set_zone_provider(name("other.example."), true);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().find("not in the database") != std::string::npos);
    // Deleted and created again: not provider-owned.
    REQUIRE(db->set_zone_provider(name("shop.example."), true).ok());
    REQUIRE(*db->delete_zone(name("shop.example.")));
    REQUIRE(db->replace_zone(name("shop.example."), {}).ok());
    CHECK(*db->zone_provider(name("shop.example.")) == false);
  }

  TEST_CASE("delete_zone removes the zone and, by cascade, its records") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    REQUIRE(db->replace_zone(name("example.com."), small_zone("example.com.")).ok());
    auto deleted = db->delete_zone(name("EXAMPLE.com."));
    REQUIRE(deleted.ok());
    CHECK(*deleted);
    CHECK(all_zones(*db).empty());
    // Recreating the zone must not resurrect old records.
    REQUIRE(db->replace_zone(name("example.com."), {}).ok());
    CHECK(all_zones(*db)["example.com."].empty());
    auto again = db->delete_zone(name("other.com."));
    REQUIRE(again.ok());
    CHECK_FALSE(*again);
  }

  TEST_CASE("find_enclosing_zone picks the closest enclosing stored zone") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    REQUIRE(db->replace_zone(name("example.com."), {}).ok());
    REQUIRE(db->replace_zone(name("sub.example.com."), {}).ok());
    auto find = [&](std::string_view text) -> std::string {
      auto zone = db->find_enclosing_zone(name(text));
      REQUIRE(zone.ok());
      return *zone ? (*zone)->to_text() : "none";
    };
    CHECK(find("example.com.") == "example.com.");
    CHECK(find("www.example.com.") == "example.com.");
    CHECK(find("a.b.SUB.Example.com.") == "sub.example.com.");
    CHECK(find("sub.example.com.") == "sub.example.com.");
    CHECK(find("example.org.") == "none");
    CHECK(find("com.") == "none");
    REQUIRE(db->replace_zone(name("."), {}).ok());
    CHECK(find("example.org.") == ".");
  }

  TEST_CASE("add_records appends; delete_records matches owners case-insensitively") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    REQUIRE(db->replace_zone(name("example.com."), small_zone("example.com.")).ok());
    REQUIRE(db->add_records(
                  name("example.com."),
                  {a_record("www.example.com.", 2),
                   Record{name("WWW.example.com."), RRType::TXT, RRClass::IN, 60, {2, 'h', 'i'}}})
                .ok());
    CHECK(all_zones(*db)["example.com."].size() == 5);

    auto by_type = db->delete_records(name("example.com."), name("www.EXAMPLE.com."), RRType::A);
    REQUIRE(by_type.ok());
    CHECK(*by_type == 2);
    auto by_owner = db->delete_records(name("example.com."), name("www.example.com."));
    REQUIRE(by_owner.ok());
    CHECK(*by_owner == 1);
    auto expected = small_zone("example.com.");
    expected.pop_back();  // www.example.com. A
    CHECK(all_zones(*db)["example.com."] == expected);
  }

  TEST_CASE("delete_record removes exactly the record with those RDATA octets") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    REQUIRE(db->replace_zone(name("example.com."),
                             {a_record("www.example.com.", 1), a_record("www.example.com.", 2)})
                .ok());
    auto none = db->delete_record(name("example.com."), a_record("www.example.com.", 3));
    REQUIRE(none.ok());
    CHECK(*none == 0);
    auto one = db->delete_record(name("example.com."), a_record("WWW.example.com.", 1));
    REQUIRE(one.ok());
    CHECK(*one == 1);
    CHECK(all_zones(*db)["example.com."] == std::vector<Record>{a_record("www.example.com.", 2)});
  }

  TEST_CASE("record operations on a zone that is not stored are errors with context") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    auto added = db->add_records(name("nowhere.test."), {a_record("nowhere.test.", 1)});
    REQUIRE_FALSE(added.ok());
    CHECK(added.error() == "database " + (dir / "apexdns.db").string() +
                               ": zone nowhere.test. is not in the database");
    CHECK(all_zones(*db).empty());
  }
}

TEST_SUITE("transactions") {
  TEST_CASE("a failing transaction body leaves nothing behind") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    REQUIRE(db->replace_zone(name("keep.test."), small_zone("keep.test.")).ok());
    auto result = db->transaction([&]() -> Status {
      REQUIRE(db->replace_zone(name("new.test."), small_zone("new.test.")).ok());
      REQUIRE(db->delete_zone(name("keep.test.")).ok());
      return Error{"validation failed"};
    });
    REQUIRE_FALSE(result.ok());
    CHECK(result.error() == "validation failed");  // the body's error, as it was
    auto zones = all_zones(*db);
    REQUIRE(zones.size() == 1);
    CHECK(zones.contains("keep.test."));
  }

  TEST_CASE("a successful transaction commits all its operations together") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    auto result = db->transaction([&]() -> Status {
      for (const char* apex : {"a.test.", "b.test.", "c.test."}) {
        auto written = db->replace_zone(name(apex), small_zone(apex));
        if (!written) return Error{written.error()};
      }
      return Ok{};
    });
    REQUIRE(result.ok());
    auto reopened = Database::open(dir / "apexdns.db", OpenMode::kExisting);
    REQUIRE(reopened.ok());
    CHECK(all_zones(**reopened).size() == 3);
  }

  TEST_CASE("a failed operation inside a transaction undoes only its own writes") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    auto result = db->transaction([&]() -> Status {
      REQUIRE(db->replace_zone(name("a.test."), small_zone("a.test.")).ok());
      // A TTL above 2^31-1 violates the records table's CHECK: the insert fails midway.
      auto bad = db->replace_zone(name("b.test."),
                                  {a_record("b.test.", 1), a_record("b.test.", 2, 0x80000000u)});
      CHECK_FALSE(bad.ok());
      return Ok{};
    });
    REQUIRE(result.ok());
    auto zones = all_zones(*db);
    CHECK(zones.size() == 1);
    CHECK(zones.contains("a.test."));
  }

  TEST_CASE("readers see the last committed state while a writer is in a transaction") {
    TempDirectory dir;
    auto writer = create(dir / "apexdns.db");
    REQUIRE(writer->replace_zone(name("old.test."), small_zone("old.test.")).ok());
    auto reader = Database::open(dir / "apexdns.db", OpenMode::kExisting);
    REQUIRE(reader.ok());
    auto result = writer->transaction([&]() -> Status {
      REQUIRE(writer->replace_zone(name("new.test."), small_zone("new.test.")).ok());
      // WAL: the reader is not blocked, and sees no uncommitted data.
      auto seen = all_zones(**reader);
      CHECK(seen.size() == 1);
      CHECK(seen.contains("old.test."));
      return Ok{};
    });
    REQUIRE(result.ok());
    CHECK(all_zones(**reader).size() == 2);
  }
}

TEST_SUITE("concurrency") {
  TEST_CASE("a second writer waits for the first (busy time-out) instead of failing") {
    TempDirectory dir;
    auto first = create(dir / "apexdns.db");
    auto second = Database::open(dir / "apexdns.db", OpenMode::kExisting);
    REQUIRE(second.ok());
    std::thread other;
    std::string second_error = "did not run";
    auto result = first->transaction([&]() -> Status {
      REQUIRE(first->replace_zone(name("first.test."), {}).ok());
      other = std::thread([&] {
        auto written = (*second)->replace_zone(name("second.test."), {});
        second_error = written ? "" : written.error();
      });
      // Meanwhile the other connection is blocked in BEGIN IMMEDIATE.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      return Ok{};
    });
    other.join();
    REQUIRE(result.ok());
    CHECK(second_error == "");
    CHECK(all_zones(*first).size() == 2);
  }
}

TEST_SUITE("for_each_zone") {
  TEST_CASE("streams every zone once, with exactly its records, including empty zones") {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    std::map<std::string, std::vector<Record>> written;
    REQUIRE(db->transaction([&]() -> Status {
                for (int i = 0; i < 300; ++i) {
                  const std::string apex = "zone" + std::to_string(i) + ".test.";
                  auto records = i % 50 == 0 ? std::vector<Record>{} : small_zone(apex);
                  auto done = db->replace_zone(name(apex), records);
                  if (!done) return Error{done.error()};
                  written[apex] = records;
                }
                return Ok{};
              }).ok());
    std::size_t visits = 0;
    std::map<std::string, std::vector<Record>> seen;
    REQUIRE(db->for_each_zone([&](const Name& apex, std::vector<Record>&& records) {
                ++visits;
                seen[apex.to_text()] = std::move(records);
              }).ok());
    CHECK(visits == 300);
    CHECK(seen == written);
  }

  // Run with --no-skip: loads 100,000 zones of 10 records, the startup case ARCHITECTURE.md §2
  // targets.
  TEST_CASE("streams 100,000 small zones" * doctest::skip()) {
    TempDirectory dir;
    auto db = create(dir / "apexdns.db");
    constexpr int kZones = 100000;
    REQUIRE(db->transaction([&]() -> Status {
                for (int i = 0; i < kZones; ++i) {
                  const std::string apex = "customer" + std::to_string(i) + ".example.";
                  auto records = small_zone(apex);
                  for (std::uint8_t k = 0; k < 7; ++k) {
                    records.push_back(a_record("host" + std::to_string(k) + "." + apex, k));
                  }
                  auto done = db->replace_zone(name(apex), records);
                  if (!done) return Error{done.error()};
                }
                return Ok{};
              }).ok());
    const auto start = std::chrono::steady_clock::now();
    std::size_t zones = 0, records = 0;
    REQUIRE(db->for_each_zone([&](const Name&, std::vector<Record>&& r) {
                ++zones;
                records += r.size();
              }).ok());
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    MESSAGE("for_each_zone: " << zones << " zones, " << records << " records in " << took.count()
                              << " s");
    CHECK(zones == kZones);
    CHECK(records == 10u * kZones);
  }
}

}  // namespace apex::storage
