// Every value the metrics expose, read at one scrape: a plain value, so the exposition can be
// rendered (and tested) without a running server. Its shape never depends on the number of
// zones, so neither does the number of series.
#pragma once

#include <cstdint>
#include <string>

#include "server/histogram.hpp"
#include "server/query_metrics.hpp"

namespace apex::server {

struct AliasMetrics {
  std::uint64_t refreshes = 0, failures = 0, upstream_queries = 0, local_resolutions = 0;
  std::uint64_t health_probes = 0, health_failures = 0, persist_errors = 0;
  std::uint64_t stale_answers = 0;  // answers given with last-known-good addresses
  std::uint64_t targets = 0, stale_families = 0, failed_families = 0;  // as of now
};

struct NotifyMetrics {
  std::uint64_t sent = 0, acknowledged = 0, refused = 0, unanswered = 0;
};

struct TransferMetrics {
  std::uint64_t completed = 0, refused = 0, busy = 0;
};

struct MetricsSnapshot {
  std::string version;
  QueryTotals queries;
  std::uint64_t zones = 0;
  double last_reload = 0;        // seconds since 1970
  HistogramValues change_apply;  // seconds
  std::uint64_t sqlite_errors = 0;
  AliasMetrics alias;
  NotifyMetrics notify;
  TransferMetrics transfers;
  std::uint64_t rrl_slipped = 0, rrl_dropped = 0;
  std::uint64_t log_lines_dropped = 0;
  std::uint64_t dnssec_signatures = 0;  // RRSIGs made since start (never per query)
};

// All zero, with the histograms' buckets: what is exposed before the server serves.
MetricsSnapshot empty_metrics_snapshot(std::string version);

}  // namespace apex::server
