// Response rate limiting outcomes (RRL), as the metrics expose them: responses sent truncated
// instead of dropped (slipped) and responses not sent (dropped).
#pragma once

#include <atomic>
#include <cstdint>

namespace apex::server {

struct RrlCounters {
  std::atomic<std::uint64_t> slipped{0}, dropped{0};
};

}  // namespace apex::server
