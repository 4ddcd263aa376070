// Specification of the flattener's threading contract: calls from any thread, an io_context
// run by several threads, counters and state read while it works, destruction after io
// stopped.
#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>

#include "flatten/flattener.hpp"
#include "flatten/memory_state_store.hpp"
#include "tests/flatten/flattener_fixture.hpp"

using namespace apex;
using namespace apex::flatten;
using namespace apex::flatten::test;
using namespace std::chrono_literals;

TEST_CASE("calls from another thread while io runs on two threads") {
  asio::io_context resolver_io;
  ScriptedResolver resolver(resolver_io);
  for (int t = 0; t < 20; ++t) {
    const std::string target = "t" + std::to_string(t) + ".example.";
    resolver.add(target.c_str(), RRType::A, 300, a(static_cast<std::uint8_t>(t)));
  }
  auto resolver_work = asio::make_work_guard(resolver_io);
  std::thread resolver_thread([&] { resolver_io.run(); });

  asio::io_context io;
  auto work = asio::make_work_guard(io);
  UpstreamClient upstream(io, upstream_options(resolver.endpoint()));
  MemoryStateStore store;
  std::mutex mutex;
  AliasTablePtr latest;
  auto flattener =
      std::make_unique<Flattener>(io, upstream, test_policy(), store, [&](AliasTablePtr table) {
        std::lock_guard lock(mutex);
        latest = std::move(table);
      });
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&] { io.run(); });

  std::vector<AliasSpec> aliases;
  for (int i = 0; i < 200; ++i) {
    const std::string owner = "o" + std::to_string(i) + ".example.";
    const std::string target = "t" + std::to_string(i % 20) + ".example.";
    aliases.push_back(alias(owner.c_str(), target.c_str()));
  }
  flattener->set_local_zones(std::make_shared<const ZoneIndex>(),
                             std::make_shared<const ProviderZones>(), {});
  flattener->set_aliases(aliases);
  flattener->start();
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  bool done = false;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    flattener->set_local_zones(std::make_shared<const ZoneIndex>(),
                               std::make_shared<const ProviderZones>(), {name("example.")});
    auto states = flattener->snapshot_state();
    done = flattener->counters().targets == 20 && states.size() == 20 &&
           std::all_of(states.begin(), states.end(), [](const TargetState& s) {
             return s.a.state == AliasState::kAddresses && s.aaaa.state == AliasState::kNoData;
           });
    std::this_thread::sleep_for(5ms);
  }
  CHECK(done);
  {
    std::lock_guard lock(mutex);
    REQUIRE(latest != nullptr);
    CHECK(latest->target_count() == 20);
  }

  work.reset();
  io.stop();
  for (auto& t : threads) t.join();
  flattener.reset();
  resolver_work.reset();
  resolver_io.stop();
  resolver_thread.join();
  CHECK(store.size() == 20);
}
