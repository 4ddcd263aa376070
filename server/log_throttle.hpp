// At most one log line per interval for an event that may repeat at line rate (a flood of
// refused requests must not flood the log), counting the lines held back so the next one
// can say how many there were. Shared by all worker threads: lock-free.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>

namespace apex::server {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LogThrottle(Clock::duration interval) : interval_(interval) {}

  // When a line may be written at now: how many were held back since the last one written.
  // Otherwise nothing, and this one is counted as held back.
  std::optional<std::uint64_t> admit(Clock::time_point now);

 private:
  const Clock::duration interval_;
  std::atomic<Clock::rep> last_{kNever};  // when the last line was written
  std::atomic<std::uint64_t> held_back_{0};

  static constexpr Clock::rep kNever = std::numeric_limits<Clock::rep>::min();
};

}  // namespace apex::server
