// Specification of the flattener's persistence in the apexdns database (ARCHITECTURE.md §5): every
// field of a family's state survives a save and a load, the failure bookkeeping included, so that a
// restart during an outage goes on where it stopped: the same retry backoff, max-stale counted
// from the first failure before the restart, and `alias status` showing the TTL served.
#include "flatten/sqlite_state_store.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>

#include "flatten/flattener.hpp"
#include "tests/flatten/flattener_fixture.hpp"
#include "tests/storage/temp_directory.hpp"

using namespace apex;
using namespace apex::flatten;
using namespace apex::flatten::test;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;

// A family serving last-known-good as stale after two failures, every field set.
TargetState::Family failing_family() {
  TargetState::Family f;
  f.state = AliasState::kAddresses;
  f.addresses = {v4("192.0.2.1"), v4("192.0.2.2")};
  f.ttl = 300;
  f.chain = {name("target.example."), name("lb.cdn.example.")};
  f.last_success_ms = kStart;
  f.last_attempt_ms = kStart + 311'000;
  f.failing_since_ms = kStart + 301'000;
  f.next_refresh_ms = kStart + 321'000;
  f.consecutive_failures = 2;
  f.last_error = "SERVFAIL from 127.0.0.1:53";
  f.last_error_ms = kStart + 311'000;
  f.source = ResultSource::kLocal;
  return f;
}

std::unique_ptr<storage::Database> open_database(const std::filesystem::path& path) {
  auto db = storage::Database::open(path, storage::OpenMode::kCreate);
  REQUIRE_MESSAGE(db.ok(), db.error());
  return std::move(db).value();
}

}  // namespace

TEST_CASE("a family's row carries every field, and the TTL served") {
  const TargetState::Family f = failing_family();
  auto row = to_row(name("target.example."), RRType::A, f, kStart + 312'000, 30s);
  CHECK(row.state == "stale");
  CHECK(row.addresses == "192.0.2.1,192.0.2.2");
  CHECK(row.chain == "target.example. lb.cdn.example.");
  CHECK(row.ttl == 300);
  CHECK(row.served_ttl == 30);  // the stale TTL, not the result's
  CHECK(row.consecutive_failures == 2);
  CHECK(row.last_error_ms == kStart + 311'000);
  CHECK(row.source == "local");
  auto back = from_row(row);
  REQUIRE_MESSAGE(back.ok(), back.error());
  CHECK(*back == f);
  row.source = "elsewhere";
  CHECK_FALSE(from_row(row).ok());
}

TEST_CASE("the TTL served: the result's when fresh, the stale TTL when stale or failed") {
  TargetState::Family fresh = failing_family();
  fresh.failing_since_ms = 0;
  fresh.consecutive_failures = 0;
  CHECK(to_row(name("t.example."), RRType::A, fresh, kStart, 30s).served_ttl == 300);
  TargetState::Family grace = fresh;
  grace.negative_since_ms = kStart;
  CHECK(to_row(name("t.example."), RRType::A, grace, kStart, 30s).served_ttl == 30);
  TargetState::Family failed = failing_family();
  failed.state = AliasState::kFailed;
  CHECK(to_row(name("t.example."), RRType::A, failed, kStart, 7s).served_ttl == 7);  // fallbacks
  TargetState::Family negative;
  negative.state = AliasState::kNoData;
  negative.ttl = 60;
  CHECK(to_row(name("t.example."), RRType::AAAA, negative, kStart, 30s).served_ttl == 0);
}

TEST_CASE("saved targets load back whole from the database") {
  testing::TempDirectory dir;
  TargetState s;
  s.target = name("target.example.");
  s.a = failing_family();
  s.aaaa.state = AliasState::kNoData;
  s.aaaa.ttl = 60;
  s.aaaa.chain = {name("target.example.")};
  s.aaaa.negative_since_ms = kStart;
  s.aaaa.last_success_ms = kStart;
  s.aaaa.next_refresh_ms = kStart + 61'000;
  {
    SqliteStateStore store(open_database(dir / "a.db"), 30s);
    REQUIRE(store.save({s}).ok());
  }
  SqliteStateStore store(open_database(dir / "a.db"), 30s);
  auto loaded = store.load();
  REQUIRE_MESSAGE(loaded.ok(), loaded.error());
  REQUIRE(loaded->size() == 1);
  CHECK((*loaded)[0] == s);
}

TEST_CASE("a restart during an outage goes on with its backoff and its max-stale clock") {
  testing::TempDirectory dir;
  asio::io_context io;
  ScriptedResolver resolver{io};
  TestClock clock;
  Published published;
  const FlattenPolicy policy = test_policy();
  UpstreamClient upstream{io, upstream_options(resolver.endpoint())};
  resolver.add("target.example.", RRType::A, 60, v4("192.0.2.1"));
  const std::vector<AliasSpec> aliases = {alias("shop.example.", "target.example.")};

  std::unique_ptr<SqliteStateStore> store;
  std::unique_ptr<Flattener> flattener;
  auto run = [&] {
    flattener.reset();
    store = std::make_unique<SqliteStateStore>(open_database(dir / "a.db"), policy.stale_ttl);
    published.tables.clear();
    flattener = std::make_unique<Flattener>(io, upstream, policy, *store, published.sink(),
                                            clock.wall_clock());
    flattener->set_aliases(aliases);
    flattener->start();
  };
  auto a_state = [&] {
    auto states = flattener->snapshot_state();
    const TargetState* s = state_of(states, "target.example.");
    REQUIRE(s != nullptr);
    return s->a;
  };
  auto a_result = [&] { return published.find("shop.example.", "target.example."); };

  run();
  REQUIRE(
      run_until(io, [&] { return a_result() && a_result()->a.state == AliasState::kAddresses; }));
  resolver.mode = ScriptedResolver::Mode::kServFail;
  clock.advance(61s);  // the TTL and the refresh margin: the first failure
  REQUIRE(run_until(io, [&] { return a_state().consecutive_failures == 1; }));
  const std::int64_t first_failure = a_state().failing_since_ms;
  clock.advance(5s);  // the first retry
  REQUIRE(run_until(io, [&] { return a_state().consecutive_failures == 2; }));
  const TargetState::Family before = a_state();
  CHECK(before.next_refresh_ms - before.last_attempt_ms == 10'000);  // backing off

  // Restarted: what was served and the bookkeeping come back as they were.
  run();
  REQUIRE(run_until(io, [&] { return !published.tables.empty(); }));
  const AliasResult* first = a_result();
  REQUIRE(first != nullptr);
  CHECK(first->a.stale);
  CHECK(first->a.addresses.ttl == 30);
  TargetState::Family restored = a_state();
  CHECK(restored.failing_since_ms == first_failure);
  CHECK(restored.consecutive_failures == 2);
  CHECK(restored.last_error == before.last_error);
  CHECK(restored.last_error_ms == before.last_error_ms);
  CHECK(restored.next_refresh_ms == before.next_refresh_ms);
  // The next retry doubles the delay again, rather than starting over.
  clock.advance(10s);
  REQUIRE(run_until(io, [&] { return a_state().consecutive_failures == 3; }));
  const TargetState::Family third = a_state();
  CHECK(third.next_refresh_ms - third.last_attempt_ms == 20'000);
  CHECK(third.failing_since_ms == first_failure);

  // Down past max-stale, counted from the first failure: failed from the first publication.
  flattener.reset();
  clock.advance(policy.max_stale);
  run();
  REQUIRE(run_until(io, [&] { return !published.tables.empty(); }));
  REQUIRE(a_result() != nullptr);
  CHECK(a_result()->a.state == AliasState::kFailed);
  flattener.reset();
}
