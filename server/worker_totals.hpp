// The workers' counters summed, read with relaxed loads: what the stats line, `apexctl stats`
// and a metrics scrape each report.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "server/worker.hpp"

namespace apex::server {

struct WorkerTotals {
  std::uint64_t responses = 0;
  std::uint64_t stale_alias_answers = 0;
  std::uint64_t transfers = 0;          // AXFR/IXFR streams completed
  std::uint64_t transfers_refused = 0;  // ... refused,
  std::uint64_t transfers_busy = 0;     // ... of which for lack of a transfer slot
  std::uint64_t rrl_slipped = 0;
  std::uint64_t rrl_dropped = 0;
  std::uint64_t rrl_would_limit = 0;  // log_only: answered, but over the rate
};

WorkerTotals worker_totals(const std::vector<std::unique_ptr<Worker>>& workers);

}  // namespace apex::server
