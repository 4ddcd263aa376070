// Specification of how apexd records what it saw of its secondaries: events queued from any
// thread, written by the recorder in coalesced batches, kept while the database fails.
#include "server/secondary_state_recorder.hpp"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "tests/storage/temp_directory.hpp"

namespace apex::server {
namespace {

Name name(const char* text) {
  return Name::from_text(text).value();
}

// A database holding shop.test. and the secondary 192.0.2.53:53.
void create_database(const std::filesystem::path& path) {
  auto db = storage::Database::open(path, storage::OpenMode::kCreate).value();
  const Record soa{name("shop.test."), RRType::SOA, RRClass::IN, 60, std::vector<std::uint8_t>(22)};
  REQUIRE(db->replace_zone(name("shop.test."), {soa}).ok());
  REQUIRE(db->add_secondary({"192.0.2.53", 53, std::nullopt, true, {}}).ok());
}

std::vector<storage::SecondaryState> stored(const std::filesystem::path& path) {
  auto db = storage::Database::open(path, storage::OpenMode::kExisting).value();
  return db->secondary_states(name("shop.test.")).value();
}

}  // namespace

TEST_CASE("events added from many threads are all taken, oldest first, once") {
  SecondaryEvents events;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&events, t] {
      for (int i = 0; i < 1000; ++i)
        events.add(storage::transferred("192.0.2.53", name("shop.test."),
                                        static_cast<std::uint32_t>(i), t * 1000 + i));
    });
  for (auto& thread : threads) thread.join();
  auto taken = events.take();
  CHECK(taken.size() == 4000);
  CHECK(events.take().empty());
  CHECK(events.take_dropped() == 0);
}

TEST_CASE("beyond the queue limit events are dropped and counted, not stored") {
  SecondaryEvents events;
  for (std::size_t i = 0; i < SecondaryEvents::kMaxQueued + 3; ++i)
    events.add(storage::transferred("192.0.2.53", name("shop.test."), 1, 1));
  CHECK(events.take_dropped() == 3);
  CHECK(events.take_dropped() == 0);
  CHECK(events.take().size() == SecondaryEvents::kMaxQueued);
}

TEST_CASE("a flush writes the latest event of each kind per secondary and zone") {
  testing::TempDirectory dir;
  create_database(dir / "t.db");
  boost::asio::io_context io;
  SecondaryEvents events;
  SecondaryStateRecorder recorder(io, dir / "t.db", events);
  CHECK(recorder.flush());  // nothing to write
  events.add(storage::notify_sent("192.0.2.53", 53, name("shop.test."), 1, 1000));
  events.add(storage::notify_sent("192.0.2.53", 53, name("shop.test."), 2, 2000));
  events.add(storage::notify_acknowledged("192.0.2.53", 53, name("shop.test."), 2010));
  events.add(storage::transferred("192.0.2.53", name("shop.test."), 2, 2100));
  CHECK(recorder.flush());
  CHECK(recorder.pending() == 0);
  auto rows = stored(dir / "t.db");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].notify_sent_ms == 2000);
  CHECK(rows[0].notify_serial == 2u);
  CHECK(rows[0].notify_acked_ms == 2010);
  CHECK(rows[0].transfer_serial == 2u);
}

TEST_CASE("while the database cannot be written events wait, coalesced, and are written later") {
  testing::TempDirectory dir;
  boost::asio::io_context io;
  SecondaryEvents events;
  SecondaryStateRecorder recorder(io, dir / "t.db", events);  // no such file yet
  events.add(storage::transferred("192.0.2.53", name("shop.test."), 1, 1000));
  CHECK_FALSE(recorder.flush());
  events.add(storage::transferred("192.0.2.53", name("shop.test."), 2, 2000));
  events.add(storage::notify_sent("192.0.2.53", 53, name("shop.test."), 2, 1900));
  CHECK_FALSE(recorder.flush());
  CHECK(recorder.pending() == 2);

  create_database(dir / "t.db");
  CHECK(recorder.flush());
  CHECK(recorder.pending() == 0);
  auto rows = stored(dir / "t.db");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].transfer_ms == 2000);
  CHECK(rows[0].transfer_serial == 2u);
  CHECK(rows[0].notify_serial == 2u);
}

TEST_CASE("started, the recorder flushes on its own every interval until stopped") {
  testing::TempDirectory dir;
  create_database(dir / "t.db");
  boost::asio::io_context io;
  SecondaryEvents events;
  SecondaryStateRecorder recorder(io, dir / "t.db", events, std::chrono::milliseconds(10));
  recorder.start();
  events.add(storage::transferred("192.0.2.53", name("shop.test."), 7, 1000));
  io.run_for(std::chrono::milliseconds(200));
  REQUIRE(stored(dir / "t.db").size() == 1);
  CHECK(stored(dir / "t.db")[0].transfer_serial == 7u);

  recorder.stop();
  events.add(storage::transferred("192.0.2.53", name("shop.test."), 8, 2000));
  io.restart();
  io.run_for(std::chrono::milliseconds(50));
  CHECK(stored(dir / "t.db")[0].transfer_serial == 7u);
  CHECK(events.take().size() == 1);  // still queued: nothing flushed after stop()
}

}  // namespace apex::server
