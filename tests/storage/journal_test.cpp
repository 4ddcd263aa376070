// Specification of the stored IXFR journal: versions kept in order per zone, within depth and
// size, history restarted when a version does not follow, gone with its zone, kept on disk.
#include <doctest/doctest.h>

#include "storage/database.hpp"
#include "tests/storage/temp_directory.hpp"
#include "zones/master_file.hpp"

namespace apex::storage {
namespace {

using testing::TempDirectory;

Name name(const char* text) {
  return Name::from_text(text).value();
}

std::unique_ptr<Database> with_zone(const std::filesystem::path& path) {
  auto db = Database::open(path, OpenMode::kCreate);
  REQUIRE_MESSAGE(db.ok(), db.error());
  auto file = read_master_text("@ 300 IN SOA ns1 host 1 7200 1800 1209600 300\n@ 300 IN NS ns1\n",
                               name("shop.example."), "test.zone");
  REQUIRE(file.ok());
  REQUIRE((*db)->replace_zone(name("shop.example."), file->records).ok());
  return std::move(db).value();
}

// A version of the given size; its octets say which it is.
JournalVersion version(std::uint32_t from, std::uint32_t to, std::size_t size = 10) {
  return {from, to, std::vector<std::uint8_t>(size, static_cast<std::uint8_t>(to))};
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> steps(Database& db) {
  auto journal = db.journal(name("shop.example."));
  REQUIRE(journal.ok());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (const auto& v : *journal) out.emplace_back(v.from, v.to);
  return out;
}

using Steps = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

}  // namespace

TEST_CASE("versions come back oldest first, octets as written, and survive a reopen") {
  TempDirectory dir;
  {
    auto db = with_zone(dir / "a.db");
    REQUIRE(db->append_journal(name("shop.example."), version(1, 2), {}).ok());
    REQUIRE(db->append_journal(name("SHOP.example."), version(2, 3), {}).ok());
  }
  auto db = Database::open(dir / "a.db", OpenMode::kExisting).value();
  CHECK(steps(*db) == Steps{{1, 2}, {2, 3}});
  auto journal = db->journal(name("shop.example."));
  REQUIRE(journal.ok());
  CHECK(journal->at(1).difference == version(2, 3).difference);
}

TEST_CASE("the oldest versions go beyond the depth or the size") {
  TempDirectory dir;
  auto db = with_zone(dir / "a.db");
  SUBCASE("depth") {
    const JournalLimits limits{3, 1 << 20};
    for (std::uint32_t s = 1; s <= 5; ++s)
      REQUIRE(db->append_journal(name("shop.example."), version(s, s + 1), limits).ok());
    CHECK(steps(*db) == Steps{{3, 4}, {4, 5}, {5, 6}});
  }
  SUBCASE("size") {
    const JournalLimits limits{100, 25};
    for (std::uint32_t s = 1; s <= 4; ++s)
      REQUIRE(db->append_journal(name("shop.example."), version(s, s + 1, 10), limits).ok());
    CHECK(steps(*db) == Steps{{3, 4}, {4, 5}});
  }
  SUBCASE("a version larger than the size restarts the history without it") {
    REQUIRE(db->append_journal(name("shop.example."), version(1, 2), {}).ok());
    REQUIRE(db->append_journal(name("shop.example."), version(2, 3, 100), {100, 50}).ok());
    CHECK(steps(*db).empty());
  }
  SUBCASE("depth 0 keeps nothing") {
    REQUIRE(db->append_journal(name("shop.example."), version(1, 2), {0, 1 << 20}).ok());
    CHECK(steps(*db).empty());
  }
}

TEST_CASE("a version that does not follow the newest restarts the history") {
  TempDirectory dir;
  auto db = with_zone(dir / "a.db");
  REQUIRE(db->append_journal(name("shop.example."), version(1, 2), {}).ok());
  REQUIRE(db->append_journal(name("shop.example."), version(5, 6), {}).ok());
  CHECK(steps(*db) == Steps{{5, 6}});
  REQUIRE(db->clear_journal(name("shop.example.")).ok());
  CHECK(steps(*db).empty());
}

TEST_CASE("the journal goes with its zone; a zone that is not stored has none") {
  TempDirectory dir;
  auto db = with_zone(dir / "a.db");
  REQUIRE(db->append_journal(name("shop.example."), version(1, 2), {}).ok());
  REQUIRE(db->delete_zone(name("shop.example.")).value());
  CHECK(db->journal(name("shop.example.")).value().empty());
  CHECK_FALSE(db->append_journal(name("shop.example."), version(2, 3), {}).ok());
  auto file = read_master_text("@ 300 IN SOA ns1 host 1 7200 1800 1209600 300\n",
                               name("shop.example."), "again.zone");
  REQUIRE((*db).replace_zone(name("shop.example."), file->records).ok());
  CHECK(steps(*db).empty());  // a new zone of the same name starts without history
}

}  // namespace apex::storage
