// Refresh and retry delays (DESIGN §5).
#include "flatten/refresh_timing.hpp"

#include <algorithm>
#include <cmath>

namespace apex::flatten {

std::int64_t refresh_delay_ms(std::uint32_t ttl, const FlattenPolicy& policy, double u) {
  const double fraction = std::max(0.0, policy.refresh_fraction - policy.jitter_fraction * u);
  const auto delay = static_cast<std::int64_t>(std::llround(ttl * 1000.0 * fraction));
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
