// A fixed-bucket histogram written by one thread and read by another (the metrics scraper):
// every cell is an atomic written with a relaxed load and store, so recording takes no lock,
// no read-modify-write and no allocation (ARCHITECTURE.md §3.7: workers share nothing).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace apex::server {

// Adds n to a counter only its own thread writes; readers on other threads see a recent value.
inline void bump(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
  counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

// A histogram as read: per-bucket (not cumulative) counts, the last one above every bound.
struct HistogramValues {
  std::vector<double> bounds;         // upper bounds, ascending, in the exposed unit
  std::vector<std::uint64_t> counts;  // bounds.size() + 1 entries
  double sum = 0;                     // in the exposed unit

  std::uint64_t count() const {
    std::uint64_t n = 0;
    for (auto c : counts) n += c;
    return n;
  }
  // Adds another reading of the same buckets (summing across workers).
  void add(const HistogramValues& other) {
    if (bounds.empty()) bounds = other.bounds;
    if (counts.size() < other.counts.size()) counts.resize(other.counts.size());
    for (std::size_t i = 0; i < other.counts.size(); ++i) counts[i] += other.counts[i];
    sum += other.sum;
  }
  friend bool operator==(const HistogramValues&, const HistogramValues&) = default;
};

// Values are integers of a base unit (nanoseconds, octets); per_unit of them make one of the
// exposed unit (seconds, bytes). Dividing (rather than multiplying by 1e-9) keeps a bound
// such as 250 µs the double nearest 0.00025, so it prints as "0.00025".
template <std::size_t N>
class Histogram {
 public:
  constexpr Histogram(const std::array<std::uint64_t, N>& bounds, double per_unit)
      : bounds_(bounds), per_unit_(per_unit) {}

  void record(std::uint64_t value) {
    std::size_t i = 0;
    while (i < N && value > bounds_[i]) ++i;
    bump(counts_[i]);
    bump(sum_, value);
  }

  HistogramValues read() const {
    HistogramValues out;
    out.bounds.reserve(N);
    for (auto b : bounds_) out.bounds.push_back(static_cast<double>(b) / per_unit_);
    out.counts.reserve(N + 1);
    for (const auto& c : counts_) out.counts.push_back(c.load(std::memory_order_relaxed));
    out.sum = static_cast<double>(sum_.load(std::memory_order_relaxed)) / per_unit_;
    return out;
  }

 private:
  std::array<std::uint64_t, N> bounds_;
  double per_unit_;
  std::array<std::atomic<std::uint64_t>, N + 1> counts_{};
  std::atomic<std::uint64_t> sum_{0};
};

// Request and change-apply durations in nanoseconds, exposed in seconds: 10 µs to 1 s,
// about three buckets per decade.
inline constexpr std::array<std::uint64_t, 11> kDurationBoundsNs = {
    10'000,    25'000,     50'000,      100'000,     250'000,      500'000,
    1'000'000, 10'000'000, 100'000'000, 500'000'000, 1'000'000'000};
inline constexpr double kNanosecondsPerSecond = 1e9;

// Response sizes in octets: the classic 512 limit, the DNS Flag Day 2020 1232, TCP's 65535.
inline constexpr std::array<std::uint64_t, 10> kSizeBounds = {64,   128,  256,  512,   1024,
                                                              1232, 2048, 4096, 16384, 65535};

using DurationHistogram = Histogram<kDurationBoundsNs.size()>;
using SizeHistogram = Histogram<kSizeBounds.size()>;

}  // namespace apex::server
