// Gathering apexd's counters into one JSON object (see stats_json.hpp).
#include "server/stats_json.hpp"

#include "flatten/endpoint_text.hpp"
#include "zones/json_text.hpp"
#include "server/log.hpp"

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
  std::uint64_t responses = 0, stale = 0, transfers = 0, refused = 0, busy = 0;
  for (const auto& w : workers) {
    responses += w->counters().responses.load(std::memory_order_relaxed);
    stale += w->counters().stale_alias_answers.load(std::memory_order_relaxed);
    transfers += w->transfers().transfers.load(std::memory_order_relaxed);
    refused += w->transfers().refused.load(std::memory_order_relaxed);
    busy += w->transfers().busy.load(std::memory_order_relaxed);
  }
  const NotifyCounters& n = notifier.counters();
  return JsonObject()
      .add("responses", responses)
      .add("stale_alias_answers", stale)
      .add_raw("transfers", JsonObject()
                                .add("completed", transfers)
                                .add("refused", refused)
                                .add("over_max_concurrent", busy)
                                .str())
      .add_raw("notify", JsonObject()
                             .add("sent", n.sent)
                             .add("acknowledged", n.acknowledged)
                             .add("unanswered", n.given_up)
                             .str())
      .add("log_lines_dropped", dropped_log_lines())
      .add_raw("flatten", flatten_json(aliases))
      .str();
}

}  // namespace apex::server
