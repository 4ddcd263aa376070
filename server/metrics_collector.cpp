// One scrape: the workers' query counters and the services' counters, as values.
#include "server/metrics_collector.hpp"

#include "server/log.hpp"
#include "server/sqlite_errors.hpp"
#include "server/worker_totals.hpp"
#include "zones/rrsig_signer.hpp"

namespace apex::server {
namespace {

std::uint64_t relaxed(const std::atomic<std::uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

AliasMetrics alias_metrics(const AliasService& aliases) {
  const auto c = aliases.counters();
  AliasMetrics out;
  out.refreshes = c.refreshes;
  out.failures = c.failures;
  out.upstream_queries = c.upstream_queries;
  out.local_resolutions = c.local_resolutions;
  out.health_probes = c.health_probes;
  out.health_failures = c.health_failures;
  out.persist_errors = c.persist_errors;
  out.targets = c.targets;
  out.stale_families = c.stale_families;
  out.failed_families = c.failed_families;
  return out;
}

}  // namespace

MetricsSnapshot collect_metrics(const MetricsSources& sources) {
  MetricsSnapshot out = empty_metrics_snapshot(APEXDNS_VERSION);
  out.alias = alias_metrics(sources.aliases);
  for (const auto& w : sources.workers) out.queries.add(w->metrics().read());
  const WorkerTotals t = worker_totals(sources.workers);
  out.alias.stale_answers = t.stale_alias_answers;
  out.transfers = {t.transfers, t.transfers_refused, t.transfers_busy};
  out.rrl_slipped = t.rrl_slipped;
  out.rrl_dropped = t.rrl_dropped;
  out.zones = sources.store.current()->zone_count();
  out.last_reload = sources.follower.last_applied();
  out.change_apply = sources.follower.apply_durations();
  out.sqlite_errors = sqlite_errors();
  const NotifyCounters& n = sources.notifier.counters();
  out.notify = {relaxed(n.sent), relaxed(n.acknowledged), relaxed(n.refused), relaxed(n.given_up)};
  out.log_lines_dropped = dropped_log_lines();
  out.dnssec_signatures = signatures_made();
  return out;
}

}  // namespace apex::server
