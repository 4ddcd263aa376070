// The workers' counters summed.
#include "server/worker_totals.hpp"

namespace apex::server {

WorkerTotals worker_totals(const std::vector<std::unique_ptr<Worker>>& workers) {
  constexpr auto kRelaxed = std::memory_order_relaxed;
  WorkerTotals t;
  for (const auto& w : workers) {
    t.responses += w->counters().responses.load(kRelaxed);
    t.stale_alias_answers += w->counters().stale_alias_answers.load(kRelaxed);
    t.transfers += w->transfers().transfers.load(kRelaxed);
    t.transfers_refused += w->transfers().refused.load(kRelaxed);
    t.transfers_busy += w->transfers().busy.load(kRelaxed);
    t.rrl_slipped += w->rrl_counters().slipped.load(kRelaxed);
    t.rrl_dropped += w->rrl_counters().dropped.load(kRelaxed);
    t.rrl_would_limit += w->rrl().would_limit();
  }
  return t;
}

}  // namespace apex::server
