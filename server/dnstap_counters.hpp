// Frames of the dnstap log per worker thread, for the stats line and metrics: each worker
// writes only its own (relaxed, one writer), any thread may read.
#pragma once

#include <atomic>
#include <cstdint>

namespace apex::server {

// A cache line of its own, so workers counting side by side do not share one.
struct alignas(64) DnstapCounters {
  std::atomic<std::uint64_t> sent{0};     // handed to the collector's queue
  std::atomic<std::uint64_t> dropped{0};  // queue full, or no collector connected
};

// The sum over workers at one moment.
struct DnstapCounts {
  std::uint64_t sent = 0;
  std::uint64_t dropped = 0;
};

}  // namespace apex::server
