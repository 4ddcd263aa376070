// Specification of whole-database copies: a backup holds the same zones under a new identity
// in one self-contained file and never writes its source; a restore is checked before the
// live database is touched, and then replaces its content in one transaction.
#include "storage/database_backup.hpp"
#include "storage/database_restore.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "tests/storage/temp_directory.hpp"
#include "zones/name.hpp"
#include "zones/record.hpp"

namespace apex::storage {
namespace {

using testing::TempDirectory;

Name name(std::string_view text) {
  return Name::from_text(text).value();
}

// A valid zone: SOA, NS with its address, and one more address.
std::vector<Record> valid_zone(std::string_view apex, std::uint8_t last_octet) {
  const std::string a(apex);
  const std::vector<std::uint8_t> ns_name = {3, 'n', 's', '1', 0};
  std::vector<std::uint8_t> soa = ns_name;
  soa.insert(soa.end(), {0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5});
  return {Record{name(a), RRType::SOA, RRClass::IN, 3600, soa},
          Record{name(a), RRType::NS, RRClass::IN, 3600, ns_name},
          Record{name("www." + a), RRType::A, RRClass::IN, 3600, {192, 0, 2, last_octet}}};
}

std::unique_ptr<Database> create(const std::filesystem::path& path) {
  auto db = Database::open(path, OpenMode::kCreate);
  REQUIRE_MESSAGE(db.ok(), db.error());
  return std::move(db).value();
}

std::unique_ptr<Database> with_zones(const std::filesystem::path& path,
                                     std::initializer_list<std::string_view> apexes) {
  auto db = create(path);
  std::uint8_t octet = 1;
  for (std::string_view apex : apexes) {
    auto written = db->replace_zone(name(apex), valid_zone(apex, octet++));
    REQUIRE_MESSAGE(written.ok(), written.error());
  }
  return db;
}

std::map<std::string, std::vector<Record>> all_zones(Database& db) {
  std::map<std::string, std::vector<Record>> zones;
  auto done = db.for_each_zone([&](const Name& apex, std::vector<Record>&& records) {
    zones[apex.to_text()] = std::move(records);
  });
  REQUIRE_MESSAGE(done.ok(), done.error());
  return zones;
}

std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> files_in(const std::filesystem::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string identity(Database& db) {
  auto token = db.identity();
  REQUIRE_MESSAGE(token.ok(), token.error());
  return *token;
}

TEST_SUITE("backup") {
  TEST_CASE("a backup holds the same zones under its own identity, in one file") {
    TempDirectory dir;
    auto live = with_zones(dir / "live.db", {"example.com.", "example.net."});
    auto saved = back_up_database(*live, dir / "copy.db", false);
    REQUIRE_MESSAGE(saved.ok(), saved.error());
    CHECK(saved->zones == 2);
    CHECK(saved->records == 6);
    CHECK(saved->bytes == std::filesystem::file_size(dir / "copy.db"));
    // Rollback journal mode: nothing beside it, and readable as it is.
    CHECK(files_in(dir.path()) ==
          std::vector<std::string>{"copy.db", "live.db", "live.db-shm", "live.db-wal"});
    auto copy = Database::open(dir / "copy.db", OpenMode::kReadOnly);
    REQUIRE_MESSAGE(copy.ok(), copy.error());
    CHECK(all_zones(**copy) == all_zones(*live));
    CHECK(identity(**copy).size() == 32);
    CHECK(identity(**copy) != identity(*live));
  }

  TEST_CASE("the source is only read: no change-log entry, the same identity") {
    TempDirectory dir;
    auto live = with_zones(dir / "live.db", {"example.com."});
    const std::string before = identity(*live);
    auto source = Database::open(dir / "live.db", OpenMode::kReadOnly);
    REQUIRE(source.ok());
    REQUIRE(back_up_database(**source, dir / "copy.db", false).ok());
    CHECK(*live->last_change_id() == 0);
    CHECK(identity(*live) == before);
  }

  TEST_CASE("an existing file is kept unless overwriting is asked for") {
    TempDirectory dir;
    auto live = with_zones(dir / "live.db", {"example.com."});
    std::ofstream(dir / "copy.db") << "precious";
    auto refused = back_up_database(*live, dir / "copy.db", false);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error() == (dir / "copy.db").string() + " exists (--force replaces it)");
    CHECK(contents(dir / "copy.db") == "precious");
    auto replaced = back_up_database(*live, dir / "copy.db", true);
    REQUIRE_MESSAGE(replaced.ok(), replaced.error());
    CHECK(replaced->zones == 1);
  }

  TEST_CASE("the database itself is never the backup's target") {
    TempDirectory dir;
    auto live = with_zones(dir / "live.db", {"example.com."});
    auto refused = back_up_database(*live, dir / "live.db", true);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error() == (dir / "live.db").string() + " is the database itself");
    CHECK(all_zones(*live).size() == 1);
  }

  TEST_CASE("a failed backup leaves nothing behind") {
    TempDirectory dir;
    auto live = with_zones(dir / "live.db", {"example.com."});
    // A directory that is not empty: the copy is complete, but renaming it there fails.
    std::filesystem::create_directory(dir / "copy.db");
    std::ofstream(dir / "copy.db" / "keep") << "kept";
    auto failed = back_up_database(*live, dir / "copy.db", true);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().starts_with("backup to " + (dir / "copy.db").string() + ": renaming "));
    CHECK(files_in(dir.path()) ==
          std::vector<std::string>{"copy.db", "live.db", "live.db-shm", "live.db-wal"});
    CHECK(files_in(dir / "copy.db") == std::vector<std::string>{"keep"});
  }
}

TEST_SUITE("restore") {
  // Staging must fail with a message containing `says`, leaving live byte for byte as it was
  // and nothing beside it.
  void refused(const TempDirectory& dir, const std::filesystem::path& file,
               const std::string& says) {
    const std::string before = contents(dir / "live.db");
    const auto names = files_in(dir.path());
    auto staged = StagedRestore::stage(file, dir / "live.db");
    REQUIRE_FALSE(staged.ok());
    CHECK_MESSAGE(staged.error().find(says) != std::string::npos, staged.error());
    CHECK(staged.error().starts_with(file.string() + ": "));
    CHECK(contents(dir / "live.db") == before);
    CHECK(files_in(dir.path()) == names);
  }

  TEST_CASE("files that cannot be restored are refused before the live database is touched") {
    TempDirectory dir;
    { auto live = with_zones(dir / "live.db", {"example.com."}); }
    refused(dir, dir / "missing.db", "no such file");
    std::ofstream(dir / "random.db") << std::string(8192, 'x');
    refused(dir, dir / "random.db", "file is not a database");
    {
      sqlite3* other = nullptr;
      REQUIRE(sqlite3_open((dir / "other.db").c_str(), &other) == SQLITE_OK);
      REQUIRE(sqlite3_exec(other, "CREATE TABLE t (x)", nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(other);
    }
    refused(dir, dir / "other.db", "not an apexdns database");
    refused(dir, dir / "live.db", "is the live database");
  }

  TEST_CASE("a damaged database is refused by the integrity check") {
    TempDirectory dir;
    { auto live = with_zones(dir / "live.db", {"example.com."}); }
    {
      auto damaged = with_zones(dir / "damaged.db", {"example.org."});
      REQUIRE(damaged->checkpoint().ok());
    }
    // An index that no longer matches its table: SQLite still opens the file.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open((dir / "damaged.db").c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw,
                         "PRAGMA writable_schema = ON; "
                         "UPDATE sqlite_master SET sql = 'CREATE INDEX records_by_zone ON "
                         "records(owner)' WHERE name = 'records_by_zone';",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
    refused(dir, dir / "damaged.db", "integrity check failed");
  }

  TEST_CASE("a database with a zone that fails validation is refused") {
    TempDirectory dir;
    { auto live = with_zones(dir / "live.db", {"example.com."}); }
    {
      auto bad = with_zones(dir / "bad.db", {"example.org."});
      // No SOA: build_zone refuses the zone.
      REQUIRE(
          bad->replace_zone(name("broken.example."), {valid_zone("broken.example.", 9)[2]}).ok());
    }
    refused(dir, dir / "bad.db", "1 zone(s) fail validation, first broken.example.");
  }

  TEST_CASE("a restore replaces everything, and a reader already open sees the new database") {
    TempDirectory dir;
    auto live = with_zones(dir / "live.db", {"example.com."});
    auto reader = Database::open(dir / "live.db", OpenMode::kExisting);
    REQUIRE(reader.ok());
    const std::int64_t version = *(*reader)->data_version();
    const std::string before = identity(**reader);
    { auto backup = with_zones(dir / "backup.db", {"example.net.", "example.org."}); }
    const std::string backup_bytes = contents(dir / "backup.db");
    {
      auto staged = StagedRestore::stage(dir / "backup.db", dir / "live.db");
      REQUIRE_MESSAGE(staged.ok(), staged.error());
      CHECK((*staged)->report().zones == 2);
      REQUIRE((*staged)->database().renew_identity().ok());
      auto replaced = (*staged)->replace_contents(*live);
      REQUIRE_MESSAGE(replaced.ok(), replaced.error());
    }
    CHECK(contents(dir / "backup.db") == backup_bytes);
    auto zones = all_zones(**reader);
    CHECK(zones.size() == 2);
    CHECK(zones.contains("example.net."));
    CHECK_FALSE(zones.contains("example.com."));
    CHECK(*(*reader)->data_version() != version);
    CHECK(identity(**reader) != before);
    // The staged copy is gone.
    CHECK(files_in(dir.path()) == std::vector<std::string>{"backup.db", "backup.db-shm",
                                                           "backup.db-wal", "live.db",
                                                           "live.db-shm", "live.db-wal"});
  }
}

}  // namespace
}  // namespace apex::storage
