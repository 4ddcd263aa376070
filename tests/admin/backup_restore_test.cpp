// Specification of apexctl backup and restore: what they print, what they refuse (exit 1,
// the database byte for byte as it was), and that a restore brings back the backup's zones
// with one change-log entry naming the file.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <string>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

std::string bytes_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A restore of file that must be refused: exit 1, "not restored: FILE: ..." naming why,
// and the database (its file and what it holds) as it was.
void refused_restore(const Apexctl& ctl, const std::filesystem::path& file,
                     const std::string& says) {
  const std::string before = bytes_of(ctl.db());
  const std::string held = ctl.everything();
  auto r = ctl.run({"restore", file.string()});
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK_MESSAGE(r.err.starts_with("apexctl: not restored: " + file.string() + ": "), r.err);
  CHECK_MESSAGE(r.err.find(says) != std::string::npos, r.err);
  CHECK(bytes_of(ctl.db()) == before);
  CHECK(ctl.everything() == held);
}

TEST_SUITE("apexctl backup") {
  TEST_CASE("prints what it saved; the backup holds the same zones") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto file = ctl.path("backup.db");
    auto r = ctl.run({"backup", file.string()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "saved 1 zones, 10 records (" +
                       std::to_string(std::filesystem::file_size(file)) + " bytes) to " +
                       file.string() + "\n");
    CHECK(Apexctl::run_raw({"--db", file.string(), "check"}).code == 0);
    CHECK(Apexctl::run_raw({"--db", file.string(), "zone", "export", "example.com"}).out ==
          ctl.run({"zone", "export", "example.com"}).out);
  }

  TEST_CASE("an existing file is refused unless --force") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto file = ctl.write_file("backup.db", "keep me");
    auto r = ctl.run({"backup", file.string()});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: " + file.string() + " exists (--force replaces it)\n");
    CHECK(bytes_of(file) == "keep me");
    CHECK(ctl.run({"backup", file.string(), "--force"}).code == 0);
    CHECK(bytes_of(file).starts_with("SQLite format 3"));
  }

  TEST_CASE("the database itself is refused, even with --force") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::string before = ctl.everything();
    auto r = ctl.run({"backup", ctl.db().string(), "--force"});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: " + ctl.db().string() + " is the database itself\n");
    CHECK(ctl.everything() == before);
  }

  TEST_CASE("usage: one file") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.run({"backup"}).code == 2);
    CHECK(ctl.run({"backup", "a", "b"}).code == 2);
    CHECK(ctl.run({"backup", "--help"}).out.starts_with("Usage: apexctl [--db FILE] backup"));
  }
}

TEST_SUITE("apexctl restore") {
  TEST_CASE("refuses a missing file, bytes that are not SQLite and someone else's database") {
    Apexctl ctl;
    ctl.init_with_example();
    refused_restore(ctl, ctl.path("missing.db"), "no such file");
    refused_restore(ctl, ctl.write_file("random.db", std::string(4096, 'z')),
                    "file is not a database");
    const auto other = ctl.path("other.db");
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(other.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "CREATE TABLE t (x)", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
    refused_restore(ctl, other, "not an apexdns database");
  }

  TEST_CASE("refuses a backup with a zone that fails validation") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto file = ctl.path("backup.db");
    REQUIRE(ctl.run({"backup", file.string()}).code == 0);
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "DELETE FROM records WHERE type = 6", nullptr, nullptr, nullptr) ==
            SQLITE_OK);
    sqlite3_close(raw);
    refused_restore(ctl, file, "1 zone(s) fail validation, first example.com.");
  }

  TEST_CASE("brings back the backup's zones and logs one entry naming the file") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto file = ctl.path("backup.db");
    REQUIRE(ctl.run({"backup", file.string()}).code == 0);
    const std::string saved = ctl.snapshot();
    const std::string backup_bytes = bytes_of(file);
    REQUIRE(ctl.run({"record", "add", "new.example.com", "A", "192.0.2.99"}).code == 0);
    REQUIRE(ctl.run({"zone", "add", "example.org"}).code == 0);
    REQUIRE(ctl.snapshot() != saved);
    auto r = ctl.run({"--comment", "ticket 7", "restore", file.string()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "restored 1 zones, 10 records from " + file.string() + "\n");
    CHECK(ctl.snapshot() == saved);
    CHECK(bytes_of(file) == backup_bytes);  // only read
    auto log = ctl.run({"log", "--limit", "1"});
    CHECK(log.out.find("tester  restore\n    comment: ticket 7\n    from " + file.string() +
                       ": 1 zones, 10 records\n") != std::string::npos);
    // The entries made after the backup are gone with it: the log is the backup's, plus one.
    CHECK(ctl.run({"log", "--limit", "100"}).out.find("record add") == std::string::npos);
  }

  TEST_CASE("creates a database that does not exist yet") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto file = ctl.path("backup.db");
    REQUIRE(ctl.run({"backup", file.string()}).code == 0);
    const auto fresh = ctl.path("fresh/apexdns.db");
    std::filesystem::create_directories(fresh.parent_path());
    auto r = Apexctl::run_raw({"--db", fresh.string(), "restore", file.string()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(Apexctl::run_raw({"--db", fresh.string(), "zone", "list"}).out.find("example.com.") !=
          std::string::npos);
  }
}

}  // namespace
}  // namespace apex::testing
