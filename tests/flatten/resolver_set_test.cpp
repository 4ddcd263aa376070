// Specification of resolver health and failover order.
#include <doctest/doctest.h>

#include "flatten/resolver_set.hpp"

using namespace apex::flatten;
using namespace std::chrono_literals;
using boost::asio::ip::udp;

namespace {

std::vector<udp::endpoint> three() {
  auto ip = boost::asio::ip::make_address("192.0.2.53");
  return {udp::endpoint(ip, 1), udp::endpoint(ip, 2), udp::endpoint(ip, 3)};
}

using V = std::vector<std::size_t>;
const auto t0 = ResolverSet::Clock::time_point{} + 1h;

}  // namespace

TEST_CASE("healthy resolvers are tried in configured order") {
  ResolverSet set(three(), {});
  CHECK(set.order(t0) == V{0, 1, 2});
  CHECK(set.endpoint(2).port() == 3);
}

TEST_CASE("consecutive failures make a resolver unhealthy and it moves last") {
  ResolverSet set(three(), {.unhealthy_after = 2, .reprobe_interval = 30s});
  set.record_outcome(0, UpstreamStatus::kTimeout, t0);
  CHECK(set.stats()[0].healthy);
  set.record_outcome(0, UpstreamStatus::kNetworkError, t0);
  CHECK_FALSE(set.stats()[0].healthy);
  CHECK(set.order(t0 + 1s) == V{1, 2, 0});
  auto stats = set.stats();
  CHECK(stats[0].failures == 2);
  CHECK(stats[0].timeouts == 1);
}

TEST_CASE("a definitive result resets the count and restores health") {
  ResolverSet set(three(), {.unhealthy_after = 2, .reprobe_interval = 30s});
  set.record_outcome(1, UpstreamStatus::kMalformed, t0);
  set.record_outcome(1, UpstreamStatus::kNxDomain, t0);
  set.record_outcome(1, UpstreamStatus::kRefused, t0);
  CHECK(set.stats()[1].healthy);
  set.record_outcome(1, UpstreamStatus::kRefused, t0);
  CHECK_FALSE(set.stats()[1].healthy);
  set.record_outcome(1, UpstreamStatus::kAnswer, t0);
  CHECK(set.stats()[1].healthy);
  CHECK(set.order(t0) == V{0, 1, 2});
}

TEST_CASE("SERVFAIL is counted but does not make a resolver unhealthy") {
  ResolverSet set(three(), {.unhealthy_after = 1, .reprobe_interval = 30s});
  set.record_outcome(0, UpstreamStatus::kServFail, t0);
  set.record_outcome(0, UpstreamStatus::kServFail, t0);
  CHECK(set.stats()[0].healthy);
  CHECK(set.stats()[0].failures == 2);
}

TEST_CASE("an unhealthy resolver is re-probed first once per interval") {
  ResolverSet set(three(), {.unhealthy_after = 1, .reprobe_interval = 10s});
  set.record_outcome(0, UpstreamStatus::kTimeout, t0);
  CHECK(set.order(t0 + 5s) == V{1, 2, 0});
  CHECK(set.order(t0 + 10s) == V{0, 1, 2});  // the probe
  CHECK(set.order(t0 + 11s) == V{1, 2, 0});  // not again until the next interval
  CHECK(set.order(t0 + 20s) == V{0, 1, 2});
}

TEST_CASE("queries and ignored responses are counted") {
  ResolverSet set(three(), {});
  set.record_query(2);
  set.record_query(2);
  set.record_mismatched(2, 3);
  auto stats = set.stats();
  CHECK(stats[2].queries == 2);
  CHECK(stats[2].mismatched == 3);
  CHECK(stats[2].endpoint.port() == 3);
}
