// Specification of the change log: entries commit with their change, ids only grow, a
// follower reading "after id N" sees every later change once.
#include "storage/change_log.hpp"

#include <doctest/doctest.h>

#include "storage/database.hpp"
#include "tests/storage/temp_directory.hpp"

namespace apex::storage {
namespace {

using testing::TempDirectory;

ChangeEntry entry(const char* zone, const char* operation) {
  return ChangeEntry{Name::from_text(zone).value(), "alice", operation,
                     "detail of " + std::string(operation)};
}

std::unique_ptr<Database> create(const std::filesystem::path& path) {
  auto db = Database::open(path, OpenMode::kCreate);
  REQUIRE_MESSAGE(db.ok(), db.error());
  return std::move(db).value();
}

}  // namespace

TEST_CASE("a new database has an empty log") {
  TempDirectory dir;
  auto db = create(dir / "a.db");
  CHECK(db->last_change_id().value() == 0);
  CHECK(db->changes_since(0).value().empty());
}

TEST_CASE("entries are read back in order, after a given id, with zone names lower-cased") {
  TempDirectory dir;
  auto db = create(dir / "a.db");
  REQUIRE(db->log_change(entry("Example.COM.", "record add")).ok());
  REQUIRE(db->log_change(entry("other.test.", "zone import")).ok());
  REQUIRE(db->log_change(entry("example.com.", "record delete")).ok());
  CHECK(db->last_change_id().value() == 3);
  auto after_one = db->changes_since(1).value();
  REQUIRE(after_one.size() == 2);
  CHECK(after_one[0].id == 2);
  CHECK(after_one[0].entry.zone.to_text() == "other.test.");
  CHECK(after_one[1].entry.operation == "record delete");
  CHECK(after_one[1].at_ms > 1'600'000'000'000);
  auto history = db->change_history(Name::from_text("EXAMPLE.com.").value(), 10).value();
  REQUIRE(history.size() == 2);
  CHECK(history[0].entry.operation == "record delete");  // newest first
  CHECK(history[1].entry.zone.to_text() == "example.com.");
  CHECK(history[1].entry.actor == "alice");
  CHECK(db->change_history(std::nullopt, 1).value().size() == 1);
}

TEST_CASE("an entry written in a rolled-back transaction is gone with it") {
  TempDirectory dir;
  auto db = create(dir / "a.db");
  auto failed = db->transaction([&]() -> Status {
    REQUIRE(db->log_change(entry("example.com.", "record add")).ok());
    return Error{"validation failed"};
  });
  CHECK_FALSE(failed.ok());
  CHECK(db->last_change_id().value() == 0);
}

TEST_CASE("another connection sees committed entries") {
  TempDirectory dir;
  auto writer = create(dir / "a.db");
  auto reader = Database::open(dir / "a.db", OpenMode::kExisting).value();
  CHECK(reader->changes_since(0).value().empty());
  REQUIRE(writer->log_change(entry("example.com.", "record add")).ok());
  CHECK(reader->changes_since(0).value().size() == 1);
}
}  // namespace apex::storage
