// Specification of serial bumps made by apexd: +1 in RFC 1982 arithmetic, never 0, logged.
#include "storage/serial_bump.hpp"

#include <doctest/doctest.h>

#include "tests/storage/temp_directory.hpp"
#include "zones/master_file.hpp"
#include "zones/soa_serial.hpp"
#include "zones/zone_difference.hpp"

namespace apex::storage {
namespace {

using testing::TempDirectory;

Name name(const char* text) {
  return Name::from_text(text).value();
}

std::unique_ptr<Database> with_zone(const std::filesystem::path& path, const std::string& serial) {
  auto db = Database::open(path, OpenMode::kCreate);
  REQUIRE_MESSAGE(db.ok(), db.error());
  auto file = read_master_text("@ 300 IN SOA ns1 host " + serial +
                                   " 7200 1800 1209600 300\n@ 300 IN NS ns1\nns1 300 IN A "
                                   "192.0.2.1\n",
                               name("cafe.example."), "test.zone");
  REQUIRE_MESSAGE(file.ok(), file.error());
  REQUIRE((*db)->replace_zone(name("cafe.example."), file->records).ok());
  return std::move(db).value();
}

std::uint32_t stored_serial(Database& db) {
  auto records = db.zone_records(name("cafe.example."));
  REQUIRE(records.ok());
  REQUIRE(records->has_value());
  for (const Record& r : **records)
    if (r.type == RRType::SOA) return soa_serial(r.rdata).value();
  FAIL("no SOA");
  return 0;
}

}  // namespace

TEST_CASE("a bump raises the stored serial by one and logs who and why") {
  TempDirectory dir;
  auto db = with_zone(dir / "a.db", "41");
  auto bump = bump_zone_serial(*db, name("cafe.example."), "apexd", "alias addresses", {}, {});
  REQUIRE_MESSAGE(bump.ok(), bump.error());
  REQUIRE(bump->has_value());
  CHECK((*bump)->from == 41);
  CHECK((*bump)->to == 42);
  CHECK(stored_serial(*db) == 42);
  CHECK(db->zone_records(name("cafe.example.")).value()->size() == 3);
  auto log = db->changes_since(0).value();
  REQUIRE(log.size() == 1);
  CHECK(log[0].entry.actor == "apexd");
  CHECK(log[0].entry.operation == "alias addresses");
  CHECK(log[0].entry.detail == "serial 41 -> 42");
}

TEST_CASE("a bump enters the journal as one version: the flattened addresses deleted and added") {
  TempDirectory dir;
  auto db = with_zone(dir / "a.db", "41");
  const Record old_a{name("cafe.example."), RRType::A, RRClass::IN, 60, {192, 0, 2, 10}};
  const Record new_a{name("cafe.example."), RRType::A, RRClass::IN, 60, {192, 0, 2, 20}};
  auto bump = bump_zone_serial(*db, name("cafe.example."), "apexd", "alias addresses",
                               ServedDifference{{old_a}, {new_a}}, JournalLimits{});
  REQUIRE_MESSAGE(bump.ok(), bump.error());
  auto journal = db->journal(name("cafe.example.")).value();
  REQUIRE(journal.size() == 1);
  CHECK(journal[0].from == 41);
  CHECK(journal[0].to == 42);
  auto version = decode_difference(journal[0].difference);
  REQUIRE_MESSAGE(version.ok(), version.error());
  CHECK(version->from() == 41);
  CHECK(version->to() == 42);
  CHECK(version->deleted == std::vector<Record>{old_a});
  CHECK(version->added == std::vector<Record>{new_a});
}

TEST_CASE("the serial wraps past 2^32 - 1 to 1, never 0") {
  TempDirectory dir;
  auto db = with_zone(dir / "a.db", "4294967295");
  auto bump = bump_zone_serial(*db, name("cafe.example."), "apexd", "alias addresses", {}, {});
  REQUIRE(bump.ok());
  CHECK((*bump)->to == 1);
  CHECK(serial_greater(1, 4294967295u));
}

TEST_CASE("a zone that is not stored is not bumped, and nothing is logged") {
  TempDirectory dir;
  auto db = with_zone(dir / "a.db", "1");
  auto bump = bump_zone_serial(*db, name("gone.example."), "apexd", "alias addresses", {}, {});
  REQUIRE(bump.ok());
  CHECK_FALSE(bump->has_value());
  CHECK(db->changes_since(0).value().empty());
}

TEST_CASE("a signed zone's bump leaves its journal to the server, which signs the new version") {
  TempDirectory dir;
  auto db = with_zone(dir / "a.db", "41");
  const Name apex = name("cafe.example.");
  REQUIRE(db->add_dnssec_key(apex, DnssecKeyRow{1,
                                                13,
                                                257,
                                                {0x30},
                                                {1, 1, 3, 13, 0xaa},
                                                DnssecKeyState::kActive,
                                                1700000000,
                                                KeyTimes{1700000000, 1700000000, {}, {}}})
              .ok());
  REQUIRE(db->append_journal(apex, {40, 41, {0}}, {}).ok());  // a step the server wrote
  auto bump = bump_zone_serial(*db, apex, "apexd", "re-sign", {}, JournalLimits{});
  REQUIRE_MESSAGE(bump.ok(), bump.error());
  CHECK((*bump)->to == 42);
  auto journal = db->journal(apex).value();
  REQUIRE(journal.size() == 1);
  CHECK(journal[0].to == 41);
}

}  // namespace apex::storage
