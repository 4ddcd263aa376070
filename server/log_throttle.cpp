// Rate-limited logging (see log_throttle.hpp).
#include "server/log_throttle.hpp"

namespace apex::server {

std::optional<std::uint64_t> LogThrottle::admit(Clock::time_point now) {
  const Clock::rep at = now.time_since_epoch().count();
  Clock::rep last = last_.load(std::memory_order_relaxed);
  // Of two threads that both find the interval over, the one whose exchange succeeds writes.
  if ((last != kNever && at - last < interval_.count()) ||
      !last_.compare_exchange_strong(last, at, std::memory_order_relaxed)) {
    held_back_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  return held_back_.exchange(0, std::memory_order_relaxed);
}

}  // namespace apex::server
