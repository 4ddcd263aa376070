// Gathering apexd's counters into one JSON object (see stats_json.hpp).
#include "server/stats_json.hpp"

#include "flatten/endpoint_text.hpp"
#include "server/log.hpp"
#include "server/worker_totals.hpp"
#include "zones/json_text.hpp"
#include "zones/rrsig_signer.hpp"

namespace apex::server {
namespace {

std::string flatten_json(const AliasService& aliases) {
  const auto c = aliases.counters();
  std::vector<std::string> resolvers;
  for (const auto& r : aliases.resolver_stats())
    resolvers.push_back(JsonObject()
                            .add("resolver", flatten::endpoint_text(r.endpoint))
                            .add("healthy", r.healthy)
                            .add("queries", r.queries)
                            .add("failures", r.failures)
                            .add("timeouts", r.timeouts)
                            .str());
  return JsonObject()
      .add("targets", c.targets)
      .add("refreshes", c.refreshes)
      .add("failures", c.failures)
      .add("upstream_queries", c.upstream_queries)
      .add("local_resolutions", c.local_resolutions)
      .add("stale_families", c.stale_families)
      .add("failed_families", c.failed_families)
      .add("health_probes", c.health_probes)
      .add("health_failures", c.health_failures)
      .add_raw("resolvers", json_array(resolvers))
      .str();
}

}  // namespace

std::string stats_json(const std::vector<std::unique_ptr<Worker>>& workers,
                       const Notifier& notifier, const AliasService& aliases) {
  const WorkerTotals t = worker_totals(workers);
  const NotifyCounters& n = notifier.counters();
  return JsonObject()
      .add("responses", t.responses)
      .add("stale_alias_answers", t.stale_alias_answers)
      .add_raw("transfers", JsonObject()
                                .add("completed", t.transfers)
                                .add("refused", t.transfers_refused)
                                .add("over_max_concurrent", t.transfers_busy)
                                .str())
      .add_raw("notify", JsonObject()
                             .add("sent", n.sent)
                             .add("acknowledged", n.acknowledged)
                             .add("unanswered", n.given_up)
                             .str())
      .add("log_lines_dropped", dropped_log_lines())
      .add("dnssec_signatures", signatures_made())
      .add_raw("flatten", flatten_json(aliases))
      .str();
}

}  // namespace apex::server
