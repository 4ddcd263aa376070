// Per-worker query counters: written only by the worker's thread on the query path (relaxed
// load and store, no lock, no allocation), read by the metrics scraper and summed across
// workers (ARCHITECTURE.md §3.1, §3.7: workers share nothing on the query path).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>

#include "server/histogram.hpp"
#include "server/query_class.hpp"
#include "zones/answer.hpp"

namespace apex::server {

enum class Family : std::uint8_t { kIpv4, kIpv6 };

// The counters as read, summed across workers: a plain value for the exposition.
struct QueryTotals {
  std::array<std::array<std::uint64_t, 2>, 2> queries{};  // [transport][family]
  std::array<std::uint64_t, kRcodeClasses> responses{};
  std::array<std::uint64_t, kQtypeClasses> by_type{};
  std::uint64_t truncated = 0;
  std::uint64_t dropped = 0;    // requests that got no response
  std::uint64_t malformed = 0;  // answered FORMERR
  HistogramValues duration;     // seconds, request received to response ready
  HistogramValues size;         // bytes of responses

  void add(const QueryTotals& other);
  friend bool operator==(const QueryTotals&, const QueryTotals&) = default;
};

class QueryMetrics {
 public:
  // A request arrived: counted by transport, family and QTYPE.
  void received(Transport transport, Family family, std::span<const std::uint8_t> request);
  // Its response, by RCODE, TC, size, and the time since the request was received.
  void answered(std::span<const std::uint8_t> response, std::chrono::nanoseconds duration);
  // It got no response (a response itself, oversized, or unparseable).
  void dropped() { bump(dropped_); }

  QueryTotals read() const;

 private:
  std::array<std::array<std::atomic<std::uint64_t>, 2>, 2> queries_{};
  std::array<std::atomic<std::uint64_t>, kRcodeClasses> responses_{};
  std::array<std::atomic<std::uint64_t>, kQtypeClasses> by_type_{};
  std::atomic<std::uint64_t> truncated_{0}, dropped_{0};
  DurationHistogram duration_{kDurationBoundsNs, kNanosecondsPerSecond};
  SizeHistogram size_{kSizeBounds, 1.0};
};

}  // namespace apex::server
