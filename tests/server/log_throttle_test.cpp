// Specification of rate-limited logging: one line per interval, the rest counted.
#include "server/log_throttle.hpp"

#include <doctest/doctest.h>

using namespace apex::server;
using namespace std::chrono_literals;

TEST_CASE("the first event is logged; within the interval the rest are held back and counted") {
  LogThrottle throttle(1s);
  const auto t0 = LogThrottle::Clock::time_point{} + 100s;
  CHECK(throttle.admit(t0) == std::optional<std::uint64_t>(0));
  CHECK_FALSE(throttle.admit(t0 + 1ms));
  CHECK_FALSE(throttle.admit(t0 + 999ms));
  // The next line says how many were held back since the last one.
  CHECK(throttle.admit(t0 + 1s) == std::optional<std::uint64_t>(2));
  CHECK_FALSE(throttle.admit(t0 + 1500ms));
  CHECK(throttle.admit(t0 + 3s) == std::optional<std::uint64_t>(1));
  CHECK(throttle.admit(t0 + 5s) == std::optional<std::uint64_t>(0));
}
