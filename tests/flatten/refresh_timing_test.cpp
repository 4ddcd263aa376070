// Specification of refresh and retry delays (ARCHITECTURE.md §5): just after the TTL runs out (so a
// caching resolver fetches fresh data), with bounded jitter, clamped to floor and ceiling;
// exponential backoff capped at the maximum.
#include <doctest/doctest.h>

#include "flatten/refresh_timing.hpp"

using namespace apex::flatten;
using namespace std::chrono_literals;

TEST_CASE("refreshes come just after the TTL runs out: TTL + 1 s margin + jitter") {
  FlattenPolicy p;
  CHECK(refresh_delay_ms(300, p, 0.0) == 301'000);
  // The jitter window is 10 % of the TTL, at most 2 s.
  CHECK(refresh_delay_ms(300, p, 0.5) == 302'000);
  CHECK(refresh_delay_ms(300, p, 0.9999) < 303'000);
  CHECK(refresh_delay_ms(300, p, 0.9999) > 302'900);
  p.refresh_floor = 1s;
  CHECK(refresh_delay_ms(5, p, 0.0) == 6'000);
  CHECK(refresh_delay_ms(5, p, 0.5) == 6'250);  // window 0.5 s: 10 % of 5 s
  p.jitter_fraction = 0.0;
  CHECK(refresh_delay_ms(300, p, 0.7) == 301'000);
}

TEST_CASE("never before a whole-second resolver's copy has run out") {
  // A caching resolver reports the seconds left of its copy, rounded down: TTL N means the
  // copy may live N + 1 s more. A refresh any earlier would get the same copy back.
  FlattenPolicy p;
  p.refresh_floor = 1ms;
  for (std::uint32_t ttl : {0u, 1u, 2u, 5u, 60u, 300u, 3000u})
    for (double u : {0.0, 0.3, 0.9999}) CHECK(refresh_delay_ms(ttl, p, u) >= (ttl + 1) * 1000);
}

TEST_CASE("the margin and the jitter bound are the policy's") {
  FlattenPolicy p;
  p.refresh_margin = 2500ms;
  p.refresh_jitter_max = 500ms;
  CHECK(refresh_delay_ms(300, p, 0.0) == 302'500);
  CHECK(refresh_delay_ms(300, p, 0.5) == 302'750);
  p.refresh_jitter_max = 0ms;
  CHECK(refresh_delay_ms(300, p, 0.5) == 302'500);
}

TEST_CASE("refresh delays are clamped to the floor and the ceiling") {
  FlattenPolicy p;
  CHECK(refresh_delay_ms(10, p, 0.0) == 30'000);
  CHECK(refresh_delay_ms(0, p, 0.0) == 30'000);
  CHECK(refresh_delay_ms(86'400, p, 0.0) == 3'600'000);
  CHECK(refresh_delay_ms(3'599, p, 0.0) == 3'600'000);
  p.refresh_floor = 100ms;
  CHECK(refresh_delay_ms(1, p, 0.0) == 2'000);
  CHECK(refresh_delay_ms(0, p, 0.0) == 1'000);  // a negative answer without SOA: the margin
  p.refresh_floor = 5s;
  p.refresh_ceiling = 50ms;  // below the floor: the floor wins
  CHECK(refresh_delay_ms(1, p, 0.0) == 5'000);
}

TEST_CASE("retries back off exponentially up to the maximum") {
  FlattenPolicy p;
  p.jitter_fraction = 0.0;
  CHECK(retry_delay_ms(1, p, 0.0) == 5'000);
  CHECK(retry_delay_ms(2, p, 0.0) == 10'000);
  CHECK(retry_delay_ms(3, p, 0.0) == 20'000);
  CHECK(retry_delay_ms(6, p, 0.0) == 160'000);
  CHECK(retry_delay_ms(7, p, 0.0) == 300'000);
  CHECK(retry_delay_ms(4'000'000'000u, p, 0.0) == 300'000);
  CHECK(retry_delay_ms(0, p, 0.0) == 5'000);
  p.jitter_fraction = 0.1;
  CHECK(retry_delay_ms(1, p, 1.0) == 4'500);
}
