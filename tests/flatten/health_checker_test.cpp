// Specification of health checks (ARCHITECTURE.md §5): a TCP connect decides health; new addresses
// are probed at once and every interval after; flips are reported; forgotten addresses are not
// probed again.
#include <doctest/doctest.h>

#include <optional>
#include <utility>  // boost/asio/awaitable.hpp of Boost 1.74 uses std::exchange unincluded

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include "flatten/health_checker.hpp"
#include "flatten/tcp_probe.hpp"
#include "tests/flatten/flattener_fixture.hpp"

using namespace apex;
using namespace apex::flatten;
using namespace apex::flatten::test;
using namespace std::chrono_literals;
using boost::asio::ip::tcp;

namespace {

ProbeOutcome probe(asio::io_context& io, tcp::endpoint endpoint) {
  std::optional<ProbeOutcome> outcome;
  asio::co_spawn(io, probe_tcp(endpoint, 500ms),
                 [&](std::exception_ptr, ProbeOutcome o) { outcome = std::move(o); });
  REQUIRE(run_until(io, [&] { return outcome.has_value(); }));
  return *outcome;
}

}  // namespace

TEST_CASE("a TCP probe succeeds against a listener and fails against a closed port") {
  asio::io_context io;
  tcp::acceptor listener(io, {kLoopback, 0});
  const auto open = listener.local_endpoint();
  CHECK(probe(io, open).healthy);
  listener.close();
  ProbeOutcome closed = probe(io, open);
  CHECK_FALSE(closed.healthy);
  CHECK_FALSE(closed.error.empty());
}

TEST_CASE("the checker probes new keys at once, reports flips, and re-probes each interval") {
  asio::io_context io;
  auto strand = asio::make_strand(io);
  std::optional<tcp::acceptor> listener;
  listener.emplace(io, tcp::endpoint{kLoopback, 0});
  const std::uint16_t up = listener->local_endpoint().port();
  tcp::acceptor spare(io, {kLoopback, 0});
  const std::uint16_t down = spare.local_endpoint().port();
  spare.close();

  FlattenPolicy p;
  p.health_interval = 100ms;
  p.max_concurrent_probes = 1;
  int flips = 0;
  HealthChecker checker(strand, p, system_now_ms, [&] { ++flips; });
  checker.start();
  const Address loopback{127, 0, 0, 1};
  asio::post(strand, [&] { checker.watch({{loopback, up}, {loopback, down}}); });

  REQUIRE(run_until(io, [&] { return checker.probes() >= 2; }));
  CHECK(flips == 1);  // only the closed port changed from "not probed" (healthy)
  CHECK(checker.healthy(loopback, up));
  CHECK_FALSE(checker.healthy(loopback, down));
  CHECK(checker.record(loopback, down)->checked_ms != 0);
  CHECK(checker.healthy(loopback, 9));  // unknown keys count as healthy
  CHECK(checker.failures() == 1);

  // The listener goes away: the next round notices.
  listener.reset();
  REQUIRE(run_until(io, [&] { return !checker.healthy(loopback, up); }));
  CHECK(flips == 2);

  // Forgotten keys are not probed any more.
  asio::post(strand, [&] { checker.watch({}); });
  run_for(io, 20ms);
  const auto probes = checker.probes();
  run_for(io, 250ms);
  CHECK(checker.probes() == probes);
  CHECK_FALSE(checker.record(loopback, up).has_value());
}

TEST_CASE("seeded results stand until the first probe") {
  asio::io_context io;
  auto strand = asio::make_strand(io);
  tcp::acceptor listener(io, {kLoopback, 0});
  const std::uint16_t port = listener.local_endpoint().port();
  int flips = 0;
  HealthChecker checker(strand, FlattenPolicy{}, system_now_ms, [&] { ++flips; });
  const Address loopback{127, 0, 0, 1};
  checker.seed({{loopback, port, false, 1, "refused before the restart"}});
  asio::post(strand, [&] {
    checker.watch({{loopback, port}});
    CHECK_FALSE(checker.healthy(loopback, port));
  });
  REQUIRE(run_until(io, [&] { return checker.probes() == 1; }));
  CHECK(checker.healthy(loopback, port));
  CHECK(flips == 1);
}
