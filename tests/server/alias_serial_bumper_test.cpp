// Specification of serial bumps for changed flattened addresses: every changed zone in one
// commit, then at most one bump per zone per interval.
#include "server/alias_serial_bumper.hpp"

#include <doctest/doctest.h>

#include "tests/storage/temp_directory.hpp"
#include "zones/master_file.hpp"
#include "zones/soa_serial.hpp"

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

}  // namespace

TEST_CASE("changed zones are bumped together, then damped per zone") {
  apex::testing::TempDirectory dir;
  auto db = storage::Database::open(dir / "a.db", storage::OpenMode::kCreate);
  REQUIRE(db.ok());
  add_zone(**db, "a.example.");
  add_zone(**db, "b.example.");
  auto writer = storage::Database::open(dir / "a.db", storage::OpenMode::kExisting);
  REQUIRE(writer.ok());

  std::vector<Name> changed = {name("a.example."), name("b.example."), name("gone.example.")};
  boost::asio::io_context io;
  AliasSerialBumper bumper(io, std::move(*writer), std::chrono::seconds(3600),
                           [&] { return std::exchange(changed, {}); });
  bumper.start();
  run_once(io);
  CHECK(serial_of(**db, "a.example.") == 11);
  CHECK(serial_of(**db, "b.example.") == 11);
  CHECK(bumper.bumps() == 2);  // a zone that is gone is let go
  CHECK((*db)->changes_since(0).value().size() == 2);

  changed = {name("a.example.")};  // again within the interval: held back
  run_once(io);
  CHECK(serial_of(**db, "a.example.") == 11);
  CHECK(bumper.bumps() == 2);
  bumper.stop();
}
