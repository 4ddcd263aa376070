// The snapshot exposed before any worker runs.
#include "server/metrics_snapshot.hpp"

namespace apex::server {

MetricsSnapshot empty_metrics_snapshot(std::string version) {
  MetricsSnapshot out;
  out.version = std::move(version);
  out.queries = QueryMetrics{}.read();
  out.change_apply = DurationHistogram(kDurationBoundsNs, kNanosecondsPerSecond).read();
  return out;
}

}  // namespace apex::server
