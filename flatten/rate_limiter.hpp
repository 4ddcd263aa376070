// A token bucket that caps the rate of upstream queries (ARCHITECTURE.md §5, RFC 5452 §9.2's spirit
// of not flooding resolvers), so a burst of refreshes waits instead of piling onto them.
#pragma once

#include <algorithm>
#include <chrono>

namespace apex::flatten {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // per_second tokens a second, at most burst saved up; per_second == 0 means no limit.
  RateLimiter(unsigned per_second, unsigned burst, Clock::time_point now)
      : rate_(per_second), burst_(std::max(1u, burst)), tokens_(burst_), last_(now) {}

  // Takes one token and returns how long to wait before using it: zero while tokens remain.
  // Beyond that the bucket goes into debt, so each later caller waits one interval longer
  // than the one before: reservations are served in order and the rate holds on average.
  Clock::duration reserve(Clock::time_point now) {
    if (rate_ == 0) return Clock::duration::zero();
    refill(now);
    tokens_ -= 1.0;
    if (tokens_ >= 0.0) return Clock::duration::zero();
    return std::chrono::ceil<Clock::duration>(std::chrono::duration<double>(-tokens_ / rate_));
  }

 private:
  void refill(Clock::time_point now) {
    if (now <= last_) return;
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min<double>(burst_, tokens_ + elapsed * rate_);
    last_ = now;
  }

  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace apex::flatten
