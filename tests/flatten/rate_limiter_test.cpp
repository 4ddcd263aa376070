// Specification of the token bucket that paces upstream queries.
#include <doctest/doctest.h>

#include "flatten/rate_limiter.hpp"

using namespace apex::flatten;
using namespace std::chrono_literals;

namespace {
const auto t0 = RateLimiter::Clock::time_point{} + 1h;
}

TEST_CASE("a burst passes at once; beyond it, each caller waits one interval more") {
  RateLimiter limiter(10, 3, t0);
  for (int i = 0; i < 3; ++i) CHECK(limiter.reserve(t0) == RateLimiter::Clock::duration::zero());
  CHECK(limiter.reserve(t0) == 100ms);
  CHECK(limiter.reserve(t0) == 200ms);
}

TEST_CASE("tokens come back with time, up to the burst") {
  RateLimiter limiter(10, 2, t0);
  limiter.reserve(t0);
  limiter.reserve(t0);
  CHECK(limiter.reserve(t0 + 100ms) == RateLimiter::Clock::duration::zero());
  // Ten seconds idle saves up only the burst of two.
  const auto later = t0 + 10s;
  CHECK(limiter.reserve(later) == RateLimiter::Clock::duration::zero());
  CHECK(limiter.reserve(later) == RateLimiter::Clock::duration::zero());
  CHECK(limiter.reserve(later) == 100ms);
}

TEST_CASE("a rate of zero means no limit") {
  RateLimiter limiter(0, 0, t0);
  for (int i = 0; i < 1000; ++i) CHECK(limiter.reserve(t0) == RateLimiter::Clock::duration::zero());
}
