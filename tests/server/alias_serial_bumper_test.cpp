// Specification of serial bumps for changed flattened addresses: every changed zone in one
// commit, then at most one bump per zone per interval.
#include "server/alias_serial_bumper.hpp"

#include <map>
#include <utility>

#include <doctest/doctest.h>

#include "tests/storage/temp_directory.hpp"
#include "zones/master_file.hpp"
#include "zones/soa_serial.hpp"
#include "zones/zone_difference.hpp"

using namespace apex;
using namespace apex::server;

namespace {

Name name(const char* text) {
  return Name::from_text(text).value();
}

void add_zone(storage::Database& db, const char* apex) {
  auto file = read_master_text(
      "@ 300 IN SOA ns1 host 10 7200 1800 1209600 300\n@ 300 IN NS ns1\n"
      "ns1 300 IN A 192.0.2.1\n",
      name(apex), "test.zone");
  REQUIRE_MESSAGE(file.ok(), file.error());
  REQUIRE(db.replace_zone(name(apex), file->records).ok());
}

std::uint32_t serial_of(storage::Database& db, const char* apex) {
  auto records = db.zone_records(name(apex));
  REQUIRE(records.ok());
  REQUIRE(records->has_value());
  for (const Record& r : **records)
    if (r.type == RRType::SOA) return soa_serial(r.rdata).value();
  return 0;
}

// Runs the bumper's checks for a little over one period.
void run_once(boost::asio::io_context& io) {
  io.restart();
  io.run_for(std::chrono::milliseconds(400));
}

Record address(const char* owner, std::uint8_t last) {
  return Record{name(owner), RRType::A, RRClass::IN, 60, {192, 0, 2, last}};
}

// A stand-in for the alias service: the changes the next probe reports, and what each zone
// serves now.
struct Served {
  std::vector<ServedChange> changes;
  std::map<Name, ServedAddresses, CanonicalLess> now;

  AliasSerialBumper::Probe probe() {
    return [this] { return std::exchange(changes, {}); };
  }
  AliasSerialBumper::Served current() {
    return [this](const Name& apex) { return now[apex]; };
  }
};

}  // namespace

TEST_CASE("changed zones are bumped together, then damped per zone") {
  apex::testing::TempDirectory dir;
  auto db = storage::Database::open(dir / "a.db", storage::OpenMode::kCreate);
  REQUIRE(db.ok());
  add_zone(**db, "a.example.");
  add_zone(**db, "b.example.");
  auto writer = storage::Database::open(dir / "a.db", storage::OpenMode::kExisting);
  REQUIRE(writer.ok());

  Served served;
  served.changes = {{name("a.example."), {address("a.example.", 1)}},
                    {name("b.example."), {address("b.example.", 1)}},
                    {name("gone.example."), {}}};
  served.now[name("a.example.")] = {address("a.example.", 2)};
  served.now[name("b.example.")] = {address("b.example.", 2)};
  served.now[name("gone.example.")] = {address("gone.example.", 2)};
  boost::asio::io_context io;
  AliasSerialBumper bumper(io, std::move(*writer), std::chrono::seconds(3600), {}, served.probe(),
                           served.current());
  bumper.start();
  run_once(io);
  CHECK(serial_of(**db, "a.example.") == 11);
  CHECK(serial_of(**db, "b.example.") == 11);
  CHECK(bumper.bumps() == 2);  // a zone that is gone is let go
  CHECK((*db)->changes_since(0).value().size() == 2);

  served.changes = {{name("a.example."), {address("a.example.", 2)}}};  // within the interval
  served.now[name("a.example.")] = {address("a.example.", 3)};
  run_once(io);
  CHECK(serial_of(**db, "a.example.") == 11);  // held back
  CHECK(bumper.bumps() == 2);
  bumper.stop();
}

// One stored zone, a.example. at serial 10, and a bumper without damping run once over it.
struct OneZone {
  apex::testing::TempDirectory dir;
  std::unique_ptr<storage::Database> db;
  Served served;

  OneZone() {
    auto opened = storage::Database::open(dir / "a.db", storage::OpenMode::kCreate);
    REQUIRE(opened.ok());
    db = std::move(*opened);
    add_zone(*db, "a.example.");
  }

  std::uint64_t run_undamped() {
    auto writer = storage::Database::open(dir / "a.db", storage::OpenMode::kExisting);
    REQUIRE(writer.ok());
    boost::asio::io_context io;
    AliasSerialBumper bumper(io, std::move(*writer), std::chrono::seconds(0), {}, served.probe(),
                             served.current());
    bumper.start();
    run_once(io);
    bumper.stop();
    return bumper.bumps();
  }
};

TEST_CASE("a bump's journal version leads from what the zone served at its serial") {
  OneZone z;
  Served& served = z.served;
  served.changes = {{name("a.example."), {address("a.example.", 1), address("a.example.", 5)}}};
  served.now[name("a.example.")] = {address("a.example.", 2), address("a.example.", 5)};
  CHECK(z.run_undamped() == 1);
  auto journal = z.db->journal(name("a.example.")).value();
  REQUIRE(journal.size() == 1);
  auto version = decode_difference(journal[0].difference).value();
  CHECK(version.from() == 10);
  CHECK(version.to() == 11);
  CHECK(version.deleted == std::vector<Record>{address("a.example.", 1)});
  CHECK(version.added == std::vector<Record>{address("a.example.", 2)});
}

TEST_CASE("a zone whose addresses flapped back before its bump is not bumped") {
  OneZone z;
  Served& served = z.served;
  served.changes = {{name("a.example."), {address("a.example.", 1)}}};
  served.now[name("a.example.")] = {address("a.example.", 1)};  // back to what it was
  const std::uint64_t bumps = z.run_undamped();
  CHECK(serial_of(*z.db, "a.example.") == 10);
  CHECK(bumps == 0);
}

TEST_CASE("a signed zone is bumped at once, for a new TTL too, never damped") {
  apex::testing::TempDirectory dir;
  auto db = storage::Database::open(dir / "a.db", storage::OpenMode::kCreate);
  REQUIRE(db.ok());
  add_zone(**db, "a.example.");
  auto writer = storage::Database::open(dir / "a.db", storage::OpenMode::kExisting);
  REQUIRE(writer.ok());
  Served served;
  boost::asio::io_context io;
  AliasSerialBumper bumper(io, std::move(*writer), std::chrono::seconds(3600), {}, served.probe(),
                           served.current());
  bumper.start();
  Record ttl_30 = address("a.example.", 1);
  ttl_30.ttl = 30;
  served.changes = {{name("a.example."), {address("a.example.", 1)}, true}};
  served.now[name("a.example.")] = {address("a.example.", 2)};
  run_once(io);
  CHECK(serial_of(**db, "a.example.") == 11);
  served.changes = {{name("a.example."), {address("a.example.", 2)}, true}};  // within 3600 s
  served.now[name("a.example.")] = {ttl_30};
  run_once(io);
  CHECK(serial_of(**db, "a.example.") == 12);
  served.changes = {{name("a.example."), {ttl_30}, true}};  // changed and back: nothing
  run_once(io);
  CHECK(serial_of(**db, "a.example.") == 12);
  CHECK(bumper.bumps() == 2);
  bumper.stop();
}

TEST_CASE("a signed zone whose serial cannot be raised is handed back to be rebuilt") {
  apex::testing::TempDirectory dir;
  {
    auto db = storage::Database::open(dir / "a.db", storage::OpenMode::kCreate);
    REQUIRE(db.ok());
    add_zone(**db, "a.example.");
    add_zone(**db, "b.example.");
  }
  Served served;
  served.changes = {{name("a.example."), {address("a.example.", 1)}, true},
                    {name("b.example."), {address("b.example.", 1)}, false}};
  served.now[name("a.example.")] = {address("a.example.", 2)};
  served.now[name("b.example.")] = {address("b.example.", 2)};
  boost::asio::io_context io;
  // No database (being reopened): nothing is written, the signed zone is rebuilt as it is.
  AliasSerialBumper bumper(io, nullptr, std::chrono::seconds(0), {}, served.probe(),
                           served.current());
  std::vector<Name> rebuilt;
  bumper.on_not_raised([&](const std::vector<Name>& apexes) {
    rebuilt.insert(rebuilt.end(), apexes.begin(), apexes.end());
  });
  bumper.start();
  io.restart();
  io.run_for(std::chrono::milliseconds(300));
  bumper.stop();
  REQUIRE_FALSE(rebuilt.empty());
  CHECK(rebuilt.front() == name("a.example."));
  CHECK(std::count(rebuilt.begin(), rebuilt.end(), name("b.example.")) == 0);
  CHECK(bumper.bumps() == 0);
}
