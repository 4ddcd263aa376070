// Specification of apexctl on files that are not (or no longer wholly) an apexdns database:
// reading commands never write, whatever the file, and init recreates dropped tables.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "storage/migrations.hpp"
#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

std::string current_schema() {
  return std::to_string(storage::current_schema_version());
}

const std::vector<std::vector<std::string>> kReadCommands = {{"zone", "list"},
                                                             {"zone", "show", "example.com"},
                                                             {"zone", "export", "example.com"},
                                                             {"zone", "status", "example.com"},
                                                             {"record", "list", "example.com"},
                                                             {"alias", "list"},
                                                             {"alias", "status"},
                                                             {"check"},
                                                             {"log"},
                                                             {"tsig", "list"},
                                                             {"secondary", "list"},
                                                             {"catalog", "show"}};

std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void raw_sql(const std::filesystem::path& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

// Every reading command fails with exit 3 and `says`, and leaves the file byte for byte.
void every_read_refused(const Apexctl& ctl, const std::string& says) {
  const std::string before = contents(ctl.db());
  for (const auto& command : kReadCommands) {
    auto r = ctl.run(command);
    const std::string what = command.front() + " " + command.back();
    CHECK_MESSAGE(r.code == 3, what);
    CHECK_MESSAGE(r.err.find(says) != std::string::npos, r.err);
    CHECK(r.out.empty());
    CHECK(contents(ctl.db()) == before);
    CHECK_FALSE(std::filesystem::exists(ctl.db().string() + "-wal"));
  }
}

}  // namespace

TEST_SUITE("reading commands never write") {
  TEST_CASE("an empty file stays empty") {
    Apexctl ctl;
    std::ofstream(ctl.db()).close();
    every_read_refused(
        ctl, "apexctl: database " + ctl.db().string() + ": not an apexdns database (empty)\n");
    CHECK(std::filesystem::file_size(ctl.db()) == 0);
  }

  TEST_CASE("someone else's SQLite database keeps every byte") {
    Apexctl ctl;
    raw_sql(ctl.db(), "CREATE TABLE invoices (id INTEGER); INSERT INTO invoices VALUES (1)");
    every_read_refused(ctl, "not an apexdns database (it has tables but no schema version)");
  }

  TEST_CASE("bytes that are not SQLite keep every byte") {
    Apexctl ctl;
    std::string noise(4096, '\0');
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>(i * 7919 % 251);
    std::ofstream(ctl.db(), std::ios::binary) << noise;
    every_read_refused(ctl, "file is not a database");
  }

  TEST_CASE("an older schema is not upgraded by reading: init is asked for, and upgrades") {
    Apexctl ctl;
    ctl.init_with_example();
    raw_sql(ctl.db(),
            "PRAGMA user_version = 7; DROP TABLE catalog; "
            "DROP INDEX zones_by_catalog_label; ALTER TABLE zones DROP COLUMN catalog_label; "
            "ALTER TABLE change_log DROP COLUMN comment; DROP TABLE database_identity; "
            "ALTER TABLE alias_settings DROP COLUMN fallback_a; "
            "ALTER TABLE alias_settings DROP COLUMN fallback_aaaa; "
            "ALTER TABLE alias_settings DROP COLUMN health_port; "
            "ALTER TABLE alias_settings ADD COLUMN fallback TEXT NOT NULL DEFAULT ''; "
            "ALTER TABLE alias_settings ADD COLUMN health TEXT NOT NULL DEFAULT ''; "
            "DROP TABLE dnssec_keys; DROP TABLE dnssec_settings; DROP TABLE dnssec_signatures; "
            "DROP TABLE signed_versions");
    auto r = ctl.run({"zone", "list"});
    CHECK(r.code == 3);
    CHECK(r.err.find("schema version 7 is older than this program's (" + current_schema() +
                     "): run 'apexctl init' to upgrade it") != std::string::npos);
    r = ctl.run({"init"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out ==
          "database " + ctl.db().string() + " ready (schema version " + current_schema() + ")\n");
    CHECK(ctl.run({"zone", "list"}).out == "example.com.  10\n");
  }
}

TEST_SUITE("dropped tables") {
  TEST_CASE("check names each missing table and index; init recreates them, once") {
    Apexctl ctl;
    ctl.init_with_example();
    raw_sql(ctl.db(), "DROP TABLE alias_state; DROP TABLE journal");
    auto r = ctl.run({"check"});
    CHECK(r.code == 1);
    CHECK(r.out ==
          "database: table alias_state is missing (run 'apexctl init' to recreate it)\n"
          "database: table journal is missing (run 'apexctl init' to recreate it)\n"
          "database: index journal_by_zone is missing (run 'apexctl init' to recreate it)\n");
    CHECK(r.err == "apexctl: the database schema is incomplete: 3 table(s) or index(es) missing\n");
    r = ctl.run({"check", "--json"});
    CHECK(r.out.find("\"missing\": [\"table alias_state\", \"table journal\", "
                     "\"index journal_by_zone\"]") != std::string::npos);
    r = ctl.run({"init"});
    REQUIRE(r.code == 0);
    CHECK(r.out ==
          "recreated table alias_state (it was missing; its rows are lost)\n"
          "recreated table journal (it was missing; its rows are lost)\n"
          "recreated index journal_by_zone (it was missing; its rows are lost)\n"
          "database " +
              ctl.db().string() + " ready (schema version " + current_schema() + ")\n");
    CHECK(ctl.run({"init"}).out ==
          "database " + ctl.db().string() + " ready (schema version " + current_schema() + ")\n");
    CHECK(ctl.run({"check"}).code == 0);
    CHECK(ctl.run({"record", "add", "new.example.com", "A", "192.0.2.99"}).code == 0);
  }
}

}  // namespace apex::testing
