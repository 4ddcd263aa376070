// Refresh and retry delays (ARCHITECTURE.md §5; why a refresh comes after the TTL:
// flatten_policy.hpp).
#include "flatten/refresh_timing.hpp"

#include <algorithm>
#include <cmath>

namespace apex::flatten {
namespace {

// The jitter window: a fraction of the TTL, bounded so long TTLs are not postponed much.
std::int64_t refresh_jitter_window_ms(std::int64_t ttl_ms, const FlattenPolicy& policy) {
  const double fraction = std::clamp(policy.jitter_fraction, 0.0, 1.0);
  const auto share =
      static_cast<std::int64_t>(std::llround(static_cast<double>(ttl_ms) * fraction));
  return std::clamp<std::int64_t>(share, 0,
                                  std::max<std::int64_t>(0, policy.refresh_jitter_max.count()));
}

}  // namespace

std::int64_t refresh_delay_ms(std::uint32_t ttl, const FlattenPolicy& policy, double u) {
  const std::int64_t ttl_ms = std::int64_t{ttl} * 1000;
  const std::int64_t window = refresh_jitter_window_ms(ttl_ms, policy);
  const auto jitter =
      static_cast<std::int64_t>(static_cast<double>(window) * std::clamp(u, 0.0, 1.0));
  const std::int64_t delay =
      ttl_ms + std::max<std::int64_t>(0, policy.refresh_margin.count()) + jitter;
  const std::int64_t floor = policy.refresh_floor.count();
  const std::int64_t ceiling = std::max(floor, std::int64_t{policy.refresh_ceiling.count()});
  return std::clamp(delay, floor, ceiling);
}

std::int64_t retry_delay_ms(std::uint32_t failures, const FlattenPolicy& policy, double u) {
  const std::int64_t cap = std::max<std::int64_t>(1, policy.retry_max.count());
  std::int64_t delay = std::max<std::int64_t>(1, policy.retry_initial.count());
  for (std::uint32_t i = 1; i < failures && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  const double jitter = std::clamp(policy.jitter_fraction * u, 0.0, 1.0);
  return std::max<std::int64_t>(1, std::llround(delay * (1.0 - jitter)));
}

}  // namespace apex::flatten
