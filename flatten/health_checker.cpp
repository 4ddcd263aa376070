// Probe scheduling for health checks (ARCHITECTURE.md §5): a queue under a concurrency bound, a
// periodic timer, and results kept per (address, port).
#include "flatten/health_checker.hpp"

#include <deque>
#include <exception>
#include <map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include "flatten/tcp_probe.hpp"

namespace apex::flatten {

namespace asio = boost::asio;

struct HealthCheckerState {
  struct Entry {
    ProbeRecord record;
    bool queued = false;  // waiting in the queue or being probed
  };

  HealthCheckerState(asio::any_io_executor ex, FlattenPolicy p, WallClock c,
                     HealthChecker::Changed ch)
      : executor(ex),
        policy(std::move(p)),
        clock(std::move(c)),
        changed(std::move(ch)),
        timer(ex) {}

  asio::any_io_executor executor;
  FlattenPolicy policy;
  WallClock clock;
  HealthChecker::Changed changed;
  asio::steady_timer timer;
  std::map<ProbeKey, Entry> entries;
  std::map<ProbeKey, ProbeRecord> seeds;
  std::deque<ProbeKey> queue;
  unsigned active = 0;
  bool stopped = false;
  std::atomic<std::uint64_t> probes{0}, failures{0};
};

namespace {

using State = std::shared_ptr<HealthCheckerState>;

asio::ip::tcp::endpoint endpoint_of(const ProbeKey& key) {
  if (key.address.size() == 16) {
    asio::ip::address_v6::bytes_type bytes;
    std::copy(key.address.begin(), key.address.end(), bytes.begin());
    return {asio::ip::address_v6(bytes), key.port};
  }
  asio::ip::address_v4::bytes_type bytes;
  std::copy(key.address.begin(), key.address.end(), bytes.begin());
  return {asio::ip::address_v4(bytes), key.port};
}

void run_queue(const State& s);

void record_result(const State& s, const ProbeKey& key, const ProbeOutcome& result) {
  ++s->probes;
  if (!result.healthy) ++s->failures;
  auto it = s->entries.find(key);
  if (it == s->entries.end()) return;  // no longer watched
  ProbeRecord& record = it->second.record;
  const bool was_healthy = record.healthy;
  record.healthy = result.healthy;
  record.checked_ms = s->clock();
  record.error = result.error;
  it->second.queued = false;
  if (was_healthy != record.healthy && s->changed) s->changed();
}

void probe(const State& s, const ProbeKey& key) {
  ++s->active;
  asio::co_spawn(s->executor, probe_tcp(endpoint_of(key), s->policy.health_timeout),
                 [s, key](std::exception_ptr e, ProbeOutcome result) {
                   --s->active;
                   if (s->stopped) return;
                   if (e) result = {false, "internal error"};
                   record_result(s, key, result);
                   run_queue(s);
                 });
}

void run_queue(const State& s) {
  const unsigned limit = std::max(1u, s->policy.max_concurrent_probes);
  while (s->active < limit && !s->queue.empty()) {
    ProbeKey key = std::move(s->queue.front());
    s->queue.pop_front();
    if (s->entries.count(key)) probe(s, key);
  }
}

void enqueue(const State& s, const ProbeKey& key, HealthCheckerState::Entry& entry) {
  if (entry.queued) return;
  entry.queued = true;
  s->queue.push_back(key);
}

void arm(const State& s) {
  s->timer.expires_after(s->policy.health_interval);
  s->timer.async_wait([s](const boost::system::error_code& ec) {
    if (ec || s->stopped) return;
    for (auto& [key, entry] : s->entries) enqueue(s, key, entry);
    run_queue(s);
    arm(s);
  });
}

}  // namespace

HealthChecker::HealthChecker(asio::any_io_executor executor, FlattenPolicy policy, WallClock clock,
                             Changed changed)
    : state_(std::make_shared<HealthCheckerState>(executor, std::move(policy), std::move(clock),
                                                  std::move(changed))) {}

HealthChecker::~HealthChecker() {
  stop();
}

void HealthChecker::start() {
  arm(state_);
}

void HealthChecker::stop() {
  state_->stopped = true;
  state_->timer.cancel();
}

void HealthChecker::seed(const std::vector<ProbeRecord>& records) {
  for (const auto& r : records) state_->seeds[{r.address, r.port}] = r;
}

void HealthChecker::watch(const std::set<ProbeKey>& wanted) {
  auto& entries = state_->entries;
  for (auto it = entries.begin(); it != entries.end();)
    it = wanted.count(it->first) ? std::next(it) : entries.erase(it);
  for (const ProbeKey& key : wanted) {
    auto [it, added] = entries.try_emplace(key);
    if (!added) continue;
    it->second.record = {key.address, key.port, true, 0, {}};
    if (auto seed = state_->seeds.find(key); seed != state_->seeds.end()) {
      it->second.record = seed->second;
      state_->seeds.erase(seed);
    }
    enqueue(state_, key, it->second);
  }
  run_queue(state_);
}

bool HealthChecker::healthy(const Address& address, std::uint16_t port) const {
  auto it = state_->entries.find({address, port});
  return it == state_->entries.end() || it->second.record.healthy;
}

std::optional<ProbeRecord> HealthChecker::record(const Address& address, std::uint16_t port) const {
  auto it = state_->entries.find({address, port});
  if (it == state_->entries.end()) return std::nullopt;
  return it->second.record;
}

std::uint64_t HealthChecker::probes() const {
  return state_->probes.load();
}

std::uint64_t HealthChecker::failures() const {
  return state_->failures.load();
}

}  // namespace apex::flatten
