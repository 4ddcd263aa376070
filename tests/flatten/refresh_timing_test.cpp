// Specification of refresh and retry delays (DESIGN §5): TTL-driven with jitter, clamped to
// floor and ceiling; exponential backoff capped at the maximum.
#include <doctest/doctest.h>

#include "flatten/refresh_timing.hpp"

using namespace apex::flatten;
using namespace std::chrono_literals;

TEST_CASE("refreshes come at 80-90 % of the TTL with the default jitter") {
  FlattenPolicy p;
  CHECK(refresh_delay_ms(300, p, 0.0) == 270'000);
  CHECK(refresh_delay_ms(300, p, 0.5) == 255'000);
  CHECK(refresh_delay_ms(300, p, 0.9999) > 240'000);
  p.jitter_fraction = 0.0;
  CHECK(refresh_delay_ms(300, p, 0.7) == 270'000);
}

TEST_CASE("refresh delays are clamped to the floor and the ceiling") {
  FlattenPolicy p;
  CHECK(refresh_delay_ms(10, p, 0.0) == 30'000);
  CHECK(refresh_delay_ms(0, p, 0.0) == 30'000);
  CHECK(refresh_delay_ms(86'400, p, 0.0) == 3'600'000);
  p.refresh_floor = 100ms;
  CHECK(refresh_delay_ms(1, p, 0.0) == 900);
  p.refresh_ceiling = 50ms;  // below the floor: the floor wins
  CHECK(refresh_delay_ms(1, p, 0.0) == 100);
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
