// Reads every counter the metrics expose into a MetricsSnapshot, on the scraper's thread:
// relaxed loads of what the workers and services write, summed across workers.
#pragma once

#include <memory>
#include <vector>

#include "server/alias_service.hpp"
#include "server/metrics_snapshot.hpp"
#include "server/notifier.hpp"
#include "server/snapshot_store.hpp"
#include "server/worker.hpp"
#include "server/zone_follower.hpp"

namespace apex::server {

struct MetricsSources {
  const std::vector<std::unique_ptr<Worker>>& workers;
  const SnapshotStore& store;
  const ZoneFollower& follower;
  const AliasService& aliases;
  const Notifier& notifier;
};

MetricsSnapshot collect_metrics(const MetricsSources& sources);

}  // namespace apex::server
