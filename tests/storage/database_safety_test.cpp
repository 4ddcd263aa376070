// Specification of opening files that are not (or not yet, or no longer wholly) an apexdns
// database: nothing is written to a file before it is known to be ours, reading never
// writes, and a schema that lost tables is recreated by repair_schema().
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "tests/storage/temp_directory.hpp"

namespace apex::storage {
namespace {

using testing::TempDirectory;

std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string random_bytes(std::size_t n) {
  std::mt19937 rng(42);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

std::unique_ptr<Database> create(const std::filesystem::path& path) {
  auto db = Database::open(path, OpenMode::kCreate);
  REQUIRE_MESSAGE(db.ok(), db.error());
  return std::move(db).value();
}

// Opening path in mode must fail with a message containing `says`, leaving the file as it
// was and creating nothing beside it.
void refused_untouched(const std::filesystem::path& path, OpenMode mode, const std::string& says) {
  const std::string before = contents(path);
  auto db = Database::open(path, mode);
  REQUIRE_FALSE(db.ok());
  CHECK_MESSAGE(db.error().find(says) != std::string::npos, db.error());
  CHECK(db.error().starts_with("database " + path.string() + ": "));
  CHECK(contents(path) == before);
  CHECK_FALSE(std::filesystem::exists(path.string() + "-journal"));
}

}  // namespace

TEST_SUITE("files that are not an apexdns database stay as they were") {
  TEST_CASE("an empty file is refused by every mode but kCreate, and stays empty") {
    TempDirectory dir;
    write_file(dir / "empty.db", "");
    for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kExisting})
      refused_untouched(dir / "empty.db", mode, "not an apexdns database (empty)");
    CHECK(std::filesystem::file_size(dir / "empty.db") == 0);
  }

  TEST_CASE("someone else's SQLite database keeps every byte, whatever the mode") {
    TempDirectory dir;
    raw_sql(dir / "other.db",
            "CREATE TABLE customers (id INTEGER); INSERT INTO customers VALUES (7)");
    for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kExisting, OpenMode::kCreate})
      refused_untouched(dir / "other.db", mode, "not an apexdns database (it has tables");
  }

  TEST_CASE("random bytes are refused with SQLite's message and keep every byte") {
    TempDirectory dir;
    write_file(dir / "noise.db", random_bytes(8192));
    for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kExisting, OpenMode::kCreate})
      refused_untouched(dir / "noise.db", mode, "file is not a database");
  }

  TEST_CASE("a missing file is not created except by kCreate") {
    TempDirectory dir;
    for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kExisting}) {
      auto db = Database::open(dir / "missing.db", mode);
      REQUIRE_FALSE(db.ok());
      CHECK(db.error() == "database " + (dir / "missing.db").string() + ": no such file");
      CHECK_FALSE(std::filesystem::exists(dir / "missing.db"));
    }
  }
}

TEST_SUITE("read-only connections") {
  TEST_CASE("kReadOnly reads a current database, refuses writes and follows other writers") {
    TempDirectory dir;
    auto writer = create(dir / "a.db");
    auto reader = Database::open(dir / "a.db", OpenMode::kReadOnly);
    REQUIRE_MESSAGE(reader.ok(), reader.error());
    CHECK((*reader)->read_only());
    CHECK_FALSE(writer->read_only());
    CHECK((*reader)->list_zones()->empty());
    const Name apex = Name::from_text("example.org.").value();
    auto refused = (*reader)->replace_zone(apex, {});
    REQUIRE_FALSE(refused.ok());
    CHECK_MESSAGE(refused.error().find("readonly database") != std::string::npos, refused.error());
    REQUIRE(writer->replace_zone(apex, {}).ok());
    auto zones = (*reader)->list_zones();
    REQUIRE(zones.ok());
    REQUIRE(zones->size() == 1);
    CHECK(zones->front().apex == apex);
  }

  TEST_CASE("an older schema is not upgraded by a reader: it is told to run apexctl init") {
    TempDirectory dir;
    {
      sqlite3* raw = nullptr;
      REQUIRE(sqlite3_open((dir / "old.db").c_str(), &raw) == SQLITE_OK);
      auto migrated = migrate_to(raw, 7);
      sqlite3_close(raw);
      REQUIRE(migrated.ok());
    }
    refused_untouched(dir / "old.db", OpenMode::kReadOnly,
                      "schema version 7 is older than this program's (" +
                          std::to_string(current_schema_version()) +
                          "): run 'apexctl init' to upgrade it");
    auto upgraded = Database::open(dir / "old.db", OpenMode::kExisting);
    REQUIRE(upgraded.ok());
    CHECK(*(*upgraded)->schema_version() == current_schema_version());
  }

  TEST_CASE("the -wal and -shm files are kept when the last writer closes, the -wal emptied") {
    // A reader that may not create them could not open the database otherwise.
    TempDirectory dir;
    {
      auto db = create(dir / "a.db");
      REQUIRE(db->replace_zone(Name::from_text("example.org.").value(), {}).ok());
    }
    CHECK(std::filesystem::exists(dir / "a.db-shm"));
    REQUIRE(std::filesystem::exists(dir / "a.db-wal"));
    CHECK(std::filesystem::file_size(dir / "a.db-wal") == 0);
    auto reader = Database::open(dir / "a.db", OpenMode::kReadOnly);
    REQUIRE(reader.ok());
    CHECK((*reader)->list_zones()->size() == 1);
  }
}

TEST_SUITE("schema repair") {
  TEST_CASE("a complete schema has nothing missing and nothing to repair") {
    TempDirectory dir;
    auto db = create(dir / "a.db");
    CHECK(db->missing_schema()->empty());
    CHECK(db->repair_schema()->empty());
  }

  TEST_CASE("dropped tables and their indexes are named, then recreated empty") {
    TempDirectory dir;
    auto db = create(dir / "a.db");
    raw_sql(dir / "a.db", "DROP TABLE alias_state; DROP TABLE journal; DROP TABLE catalog;");
    auto missing = db->missing_schema();
    REQUIRE(missing.ok());
    CHECK(*missing == std::vector<std::string>{"table alias_state", "table journal",
                                               "table catalog", "index journal_by_zone"});
    auto repaired = db->repair_schema();
    REQUIRE_MESSAGE(repaired.ok(), repaired.error());
    CHECK(*repaired == *missing);
    CHECK(db->missing_schema()->empty());
    // Usable again: flattener results are saved, the catalog has its one row.
    CHECK(db->alias_targets()->empty());
    auto catalog = db->catalog_state();
    REQUIRE_MESSAGE(catalog.ok(), catalog.error());
    CHECK_FALSE(catalog->name.has_value());
    CHECK(catalog->serial > 0);
  }

  TEST_CASE("a reader reports what is missing without writing") {
    TempDirectory dir;
    create(dir / "a.db");
    raw_sql(dir / "a.db", "DROP INDEX records_by_zone");
    const std::string before = contents(dir / "a.db");
    auto reader = Database::open(dir / "a.db", OpenMode::kReadOnly);
    REQUIRE(reader.ok());
    CHECK(*(*reader)->missing_schema() == std::vector<std::string>{"index records_by_zone"});
    CHECK_FALSE((*reader)->repair_schema().ok());
    CHECK(contents(dir / "a.db") == before);
  }
}

}  // namespace apex::storage
