// When to ask again (ARCHITECTURE.md §5): just after the TTL runs out, with jitter, within floor
// and ceiling; exponential backoff for retries after failures.
#pragma once

#include <cstdint>

#include "flatten/flatten_policy.hpp"

namespace apex::flatten {

// Milliseconds until a result with this TTL (seconds) is refreshed: ttl + refresh_margin +
// u × min(jitter_fraction × ttl, refresh_jitter_max), clamped to [refresh_floor,
// refresh_ceiling]. u is uniform in [0, 1). Why after the TTL: flatten_policy.hpp.
std::int64_t refresh_delay_ms(std::uint32_t ttl, const FlattenPolicy& policy, double u);

// Milliseconds until the retry after `failures` consecutive failures (at least 1):
// retry_initial × 2^(failures − 1), capped at retry_max, less up to jitter_fraction of it.
std::int64_t retry_delay_ms(std::uint32_t failures, const FlattenPolicy& policy, double u);

}  // namespace apex::flatten
