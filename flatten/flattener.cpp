// The flattener's event loop on a strand (ARCHITECTURE.md §5): the refresh timer starts
// resolutions, their results update target states, and every batch of changes is published as one
// table and handed to the background writer. A publication rebuilds only the targets that
// changed since the previous one (ARCHITECTURE.md §3.6).
#include "flatten/flattener.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "flatten/alias_table_assembly.hpp"
#include "flatten/chain_resolver.hpp"
#include "flatten/family_update.hpp"
#include "flatten/health_checker.hpp"
#include "flatten/local_lookup.hpp"
#include "flatten/refresh_queue.hpp"
#include "flatten/state_writer.hpp"
#include "flatten/target_registry.hpp"

namespace apex::flatten {

namespace asio = boost::asio;

struct FlattenerCore {
  FlattenerCore(asio::io_context& io, UpstreamClient& up, FlattenPolicy p, StateStore& s,
                Flattener::Publish pub, WallClock c)
      : strand(asio::make_strand(io)),
        upstream(up),
        policy(std::move(p)),
        store(s),
        publish(std::move(pub)),
        clock(std::move(c)),
        writer(s),
        health(strand, policy, clock,
               [this] {
                 if (health_changed) health_changed();
               }),
        timer(strand),
        commit_timer(strand),
        rng(std::random_device{}()) {}

  // Immutable after construction, or thread-safe.
  asio::strand<asio::io_context::executor_type> strand;
  UpstreamClient& upstream;
  const FlattenPolicy policy;
  StateStore& store;
  const Flattener::Publish publish;
  const WallClock clock;
  StateWriter writer;
  std::atomic<bool> stopped{false};

  // Touched only on the strand. The health checker stops with the core, so its callback
  // never outlives it.
  std::function<void()> health_changed;
  Flattener::StatusChanges status_changes;
  HealthChecker health;
  asio::steady_timer timer;
  asio::steady_timer commit_timer;
  asio::steady_timer::time_point last_commit;
  bool timer_armed = false;
  asio::steady_timer::time_point timer_expiry;
  RefreshQueue queue;
  TargetRegistry registry;
  ZoneIndexPtr zones;
  ProviderZonesPtr providers;
  std::set<std::string> changed;  // targets to persist at the next commit
  // Targets whose table entries to rebuild at the next commit (or drop, when gone from the
  // registry), with their names; and the table they are rebuilt on.
  std::map<std::string, Name> dirty;
  AliasTablePtr published = std::make_shared<const AliasTable>();
  bool probes_dirty = true;  // the set of health probes may have changed
  // Per target, whether each family counts as stale or failed in the gauges, so a commit
  // updates them for the changed targets only.
  std::map<std::string, std::array<bool, 4>> gauge_parts;
  std::uint64_t stale_total = 0, failed_total = 0;
  bool commit_posted = false;
  bool started = false;
  std::mt19937_64 rng;

  // Read from any thread.
  struct Cells {
    std::atomic<std::uint64_t> refreshes{0}, failures{0}, negative_answers{0}, upstream_queries{0},
        local_resolutions{0}, publications{0}, publish_errors{0}, targets{0}, stale_families{0},
        failed_families{0};
  } cells;
  mutable std::mutex snapshot_mutex;
  std::map<std::string, TargetState> snapshot;  // as of the last commit
  std::atomic<std::uint64_t> load_errors{0};
  std::string load_error;  // written by start() before anything reads it

  double jitter() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
};

namespace {

using Core = std::shared_ptr<FlattenerCore>;

// ---- scheduling -------------------------------------------------------------------------

void on_timer(const Core& c);

// Wakes at the earliest due refresh, but at least every clock_check_interval so that a moved
// wall clock is noticed.
void arm_timer(const Core& c) {
  if (!c->started || c->stopped) return;
  const auto earliest = c->queue.earliest();
  if (!earliest) return;
  const std::int64_t wait =
      std::clamp<std::int64_t>(*earliest - c->clock(), 0, c->policy.clock_check_interval.count());
  const auto expiry = asio::steady_timer::clock_type::now() + std::chrono::milliseconds(wait);
  if (c->timer_armed && c->timer_expiry <= expiry) return;
  c->timer_armed = true;
  c->timer_expiry = expiry;
  c->timer.expires_at(expiry);
  c->timer.async_wait([c](const boost::system::error_code& ec) {
    if (ec || c->stopped) return;
    c->timer_armed = false;
    on_timer(c);
  });
}

void schedule(const Core& c, const std::string& key, RRType family) {
  const TargetEntry* entry = c->registry.find(key);
  if (!entry) return;
  c->queue.schedule({key, family}, entry->state.of(family).next_refresh_ms);
  arm_timer(c);
}

// ---- publication ------------------------------------------------------------------------

void commit(const Core& c);

// Commits after the current handler, or once publish_interval has passed since the last one.
void request_commit(const Core& c) {
  if (!c->started || c->commit_posted || c->stopped) return;
  c->commit_posted = true;
  c->commit_timer.expires_at(c->last_commit + c->policy.publish_interval);
  c->commit_timer.async_wait([c](const boost::system::error_code& ec) {
    if (!ec) commit(c);
  });
}

// The target's state changed: persist it and rebuild its table entries at the next commit.
void touch(const Core& c, const std::string& key) {
  const TargetEntry* entry = c->registry.find(key);
  if (!entry) return;
  c->changed.insert(key);
  c->dirty.insert_or_assign(key, entry->state.target);
}

void mark_changed(const Core& c, const std::string& key) {
  touch(c, key);
  request_commit(c);
}

// ---- resolution -------------------------------------------------------------------------

ChainSources sources_of(const Core& c) {
  std::weak_ptr<FlattenerCore> weak = c;
  auto upstream = [weak](const Name& qname, RRType qtype, UpstreamClient::Done done) {
    auto core = weak.lock();
    if (!core || core->stopped) {
      UpstreamResult stopped;
      stopped.detail = "the flattener stopped";
      return done(std::move(stopped));
    }
    core->upstream.resolve(qname, qtype, std::move(done));
  };
  auto zones = [weak]() -> LocalZones {
    auto core = weak.lock();
    return core ? LocalZones{core->zones, core->providers} : LocalZones{};
  };
  return {std::move(upstream), std::move(zones), c->policy.max_chain_depth};
}

void count(const Core& c, const Resolution& r) {
  ++c->cells.refreshes;
  if (r.kind == ResolutionKind::kFailure) ++c->cells.failures;
  if (r.negative()) ++c->cells.negative_answers;
  c->cells.upstream_queries += r.upstream_queries;
  c->cells.local_resolutions += r.local_lookups;
}

void start_resolution(const Core& c, const std::string& key, RRType family);

// NXDOMAIN: the name has no records of any type, so the other family learns it too (a
// resolution of it under way applies its own result on top when it ends).
void share_nxdomain(const Core& c, TargetEntry& entry, const std::string& key, RRType family,
                    const Resolution& r, std::int64_t now) {
  if (r.kind != ResolutionKind::kNxDomain) return;
  const RRType other = family == RRType::A ? RRType::AAAA : RRType::A;
  apply_resolution(entry.state.of(other), r, c->policy, now, c->jitter());
  schedule(c, key, other);
}

void on_resolved(const Core& c, const std::string& key, RRType family, const Resolution& r) {
  count(c, r);
  TargetEntry* entry = c->registry.find(key);
  if (!entry) return;  // no alias points there any more
  const std::size_t i = family_index(family);
  entry->in_flight[i] = false;
  entry->attempt_chain[i] = r.chain;
  const std::int64_t now = c->clock();
  apply_resolution(entry->state.of(family), r, c->policy, now, c->jitter());
  share_nxdomain(c, *entry, key, family, r, now);
  schedule(c, key, family);
  mark_changed(c, key);
  if (entry->again[i]) {
    entry->again[i] = false;
    c->queue.cancel({key, family});
    start_resolution(c, key, family);
  }
}

void start_resolution(const Core& c, const std::string& key, RRType family) {
  TargetEntry* entry = c->registry.find(key);
  if (!entry || c->stopped) return;
  const std::size_t i = family_index(family);
  if (entry->in_flight[i]) {
    entry->again[i] = true;
    return;
  }
  if (expire_stale(entry->state.of(family), c->policy, c->clock())) mark_changed(c, key);
  entry->in_flight[i] = true;
  asio::co_spawn(c->strand, resolve_chain(sources_of(c), entry->state.target, family),
                 [c, key, family](std::exception_ptr e, Resolution r) {
                   if (c->stopped) return;
                   if (e) r = resolution_failure(ChainTrail(Name(), 1), "internal error");
                   on_resolved(c, key, family, r);
                 });
}

// Resolves now, whatever was scheduled (before start: as soon as it starts).
void resolve_now(const Core& c, const std::string& key) {
  for (RRType family : kFamilies) {
    if (!c->started) {
      c->queue.schedule({key, family}, 0);
      continue;
    }
    c->queue.cancel({key, family});
    start_resolution(c, key, family);
  }
}

void on_timer(const Core& c) {
  for (const RefreshSlot& slot : c->queue.take_due(c->clock()))
    start_resolution(c, slot.key, slot.family);
  arm_timer(c);
}

// ---- commit: health, table, persistence -------------------------------------------------

std::set<ProbeKey> wanted_probes(const TargetRegistry& registry) {
  std::set<ProbeKey> wanted;
  for (const auto& [key, entry] : registry.entries())
    for (std::uint16_t port : entry.health_ports)
      for (RRType family : kFamilies)
        if (entry.state.of(family).state == AliasState::kAddresses)
          for (const Address& address : entry.state.of(family).addresses)
            wanted.insert({address, port});
  return wanted;
}

void fill_probes(const HealthChecker& health, TargetEntry& entry) {
  entry.state.probes.clear();
  for (std::uint16_t port : entry.health_ports)
    for (RRType family : kFamilies)
      for (const Address& address : entry.state.of(family).addresses)
        if (auto record = health.record(address, port)) entry.state.probes.push_back(*record);
}

void on_health_changed(const Core& c) {
  for (auto& [key, entry] : c->registry.entries())
    if (!entry.health_ports.empty()) touch(c, key);
  request_commit(c);
}

// Probes follow the addresses of the targets aliases check the health of.
bool probes_changed(const Core& c) {
  if (c->probes_dirty) return true;
  for (const auto& [key, name] : c->dirty) {
    const TargetEntry* entry = c->registry.find(key);
    if (entry && !entry->health_ports.empty()) return true;
  }
  return false;
}

void update_gauges(const Core& c) {
  for (const auto& [key, name] : c->dirty) {
    std::array<bool, 4> now{};
    const TargetEntry* entry = c->registry.find(key);
    if (entry)
      for (RRType family : kFamilies) {
        const auto& f = entry->state.of(family);
        now[family_index(family)] = serves_stale(f);
        now[2 + family_index(family)] = f.state == AliasState::kFailed;
      }
    auto [it, added] = c->gauge_parts.try_emplace(key);
    const std::array<bool, 4> before = it->second;
    c->stale_total += std::uint64_t{now[0]} + now[1] - before[0] - before[1];
    c->failed_total += std::uint64_t{now[2]} + now[3] - before[2] - before[3];
    if (entry)
      it->second = now;
    else
      c->gauge_parts.erase(it);
  }
  c->cells.targets = c->registry.entries().size();
  c->cells.stale_families = c->stale_total;
  c->cells.failed_families = c->failed_total;
}

// The table entries of one changed target: its result and its aliases' own (none: gone).
AliasTargetChange change_of(const Core& c, const std::string& key, const Name& target,
                            const HealthLookup& healthy) {
  const TargetEntry* entry = c->registry.find(key);
  if (!entry) return {target, std::nullopt, {}};
  std::vector<const AliasSpec*> aliases;
  aliases.reserve(entry->with_settings.size());
  for (const auto& [owner, alias] : entry->with_settings) aliases.push_back(&alias);
  return target_change(entry->state, aliases, healthy, c->policy);
}

// The previous table with the changed targets rebuilt: the rest is shared, not copied.
void publish_table(const Core& c) {
  // The first publication goes out even when empty: startup waits for it.
  if (c->dirty.empty() && c->cells.publications > 0) return;
  HealthLookup healthy = [&health = c->health](const Address& address, std::uint16_t port) {
    return health.healthy(address, port);
  };
  std::vector<AliasTargetChange> changes;
  changes.reserve(c->dirty.size());
  for (const auto& [key, target] : c->dirty) changes.push_back(change_of(c, key, target, healthy));
  c->dirty.clear();
  auto table = c->published->with_changes(changes);
  if (!table) {
    // Never expected: a result the table refuses. The other changes still go out.
    AliasTablePtr partial = c->published;
    for (auto& change : changes) {
      auto next = partial->with_changes({std::move(change)});
      if (next)
        partial = std::move(*next);
      else
        ++c->cells.publish_errors;
    }
    table = std::move(partial);
  }
  c->published = *table;
  ++c->cells.publications;
  if (c->publish) c->publish(std::move(*table));
}

// What snapshot_state() returns from now on.
void remember(const Core& c, const std::vector<TargetState>& states) {
  std::lock_guard lock(c->snapshot_mutex);
  for (const auto& state : states) c->snapshot[TargetRegistry::key_of(state.target)] = state;
}

// Compares with the previous publication, before remember() replaces it.
void report_status_changes(const Core& c, const std::vector<TargetState>& states) {
  if (!c->status_changes) return;
  std::vector<StatusChange> changes;
  {
    std::lock_guard lock(c->snapshot_mutex);
    for (const auto& state : states) {
      auto before = c->snapshot.find(TargetRegistry::key_of(state.target));
      append_status_changes(before == c->snapshot.end() ? nullptr : &before->second, state,
                            changes);
    }
  }
  if (!changes.empty()) c->status_changes(std::move(changes));
}

void persist_changed(const Core& c) {
  std::vector<TargetState> states;
  for (const std::string& key : c->changed) {
    TargetEntry* entry = c->registry.find(key);
    if (!entry) continue;
    fill_probes(c->health, *entry);
    states.push_back(entry->state);
  }
  c->changed.clear();
  report_status_changes(c, states);
  remember(c, states);
  c->writer.save(std::move(states));
}

void commit(const Core& c) {
  c->commit_posted = false;
  if (c->stopped) return;
  c->last_commit = asio::steady_timer::clock_type::now();
  if (probes_changed(c)) c->health.watch(wanted_probes(c->registry));
  c->probes_dirty = false;
  persist_changed(c);
  update_gauges(c);
  publish_table(c);
}

// A local result from a zone that is gone, no longer provider-owned, or now under a zone that
// is not: its chain has no name a provider zone serves, or a name a non-provider zone serves.
bool untrusted_local(const Core& c, const TargetState::Family& f) {
  if (f.source != ResultSource::kLocal) return false;
  if (!c->zones || !c->providers) return true;
  bool provider_link = false;
  for (const Name& name : f.chain) {
    const Zone* zone = enclosing_zone(*c->zones, name);
    if (!zone) continue;
    if (!c->providers->contains(zone->apex())) return true;
    provider_link = true;
  }
  return !provider_link;
}

// Drops what was learned locally from zones no longer trusted, with no last-known-good: no
// stale addresses and no negative answer carry over; until the target is resolved again the
// aliases serve their fallback addresses, if they have any.
bool drop_local(const Core& c, const std::string& key, bool from_lost_zone) {
  TargetEntry* entry = c->registry.find(key);
  if (!entry) return false;
  bool dropped = false;
  for (RRType family : kFamilies) {
    TargetState::Family& f = entry->state.of(family);
    if (f.source != ResultSource::kLocal) continue;
    if (!from_lost_zone && !untrusted_local(c, f)) continue;
    f = TargetState::Family{};
    dropped = true;
  }
  if (dropped) touch(c, key);
  return dropped;
}

void forget(const Core& c, const std::vector<Name>& targets) {
  if (targets.empty()) return;
  {
    std::lock_guard lock(c->snapshot_mutex);
    for (const Name& target : targets) c->snapshot.erase(TargetRegistry::key_of(target));
  }
  for (const Name& target : targets) {
    const std::string key = TargetRegistry::key_of(target);
    c->queue.cancel_target(key);
    c->changed.erase(key);
    c->dirty.insert_or_assign(key, target);  // leaves the table
  }
  c->writer.remove(targets);
}

// ---- entry points, on the strand --------------------------------------------------------

// The failure bookkeeping persisted with a state goes on where it stopped: retries keep
// backing off, and max-stale counts from the first failure, before the restart too. A
// deadline that passed while the server was down takes effect before the first publication.
void expire_restored(const Core& c, const std::vector<std::string>& keys, std::int64_t now) {
  for (const std::string& key : keys) {
    TargetEntry* entry = c->registry.find(key);
    for (RRType family : kFamilies)
      if (expire_stale(entry->state.of(family), c->policy, now)) touch(c, key);
  }
}

void schedule_restored(const Core& c, const std::vector<std::string>& keys, std::int64_t now) {
  for (const std::string& key : keys) {
    TargetEntry* entry = c->registry.find(key);
    for (RRType family : kFamilies) {
      auto& f = entry->state.of(family);
      // A clock that went back must not postpone refreshes beyond the ceiling.
      if (f.next_refresh_ms > now + c->policy.refresh_ceiling.count()) f.next_refresh_ms = now;
      schedule(c, key, family);
    }
  }
}

void begin(const Core& c, std::vector<TargetState> loaded) {
  std::vector<ProbeRecord> probes;
  for (const auto& state : loaded)
    probes.insert(probes.end(), state.probes.begin(), state.probes.end());
  c->health.seed(probes);
  auto adopted = c->registry.adopt(std::move(loaded));
  forget(c, adopted.unaliased);
  // Zones deleted or unmarked while apexd was down: their local results are not restored.
  for (const std::string& key : adopted.keys) drop_local(c, key, false);
  const std::int64_t now = c->clock();
  expire_restored(c, adopted.keys, now);
  std::vector<TargetState> states;
  for (const std::string& key : adopted.keys) {
    states.push_back(c->registry.find(key)->state);
    c->dirty.insert_or_assign(key, states.back().target);
  }
  remember(c, states);
  c->started = true;
  commit(c);  // at once: what was persisted answers before any upstream query
  schedule_restored(c, adopted.keys, now);
  c->health.start();
  arm_timer(c);
}

void reconcile(const Core& c, const TargetRegistry::Reconciled& reconciled) {
  forget(c, reconciled.removed);
  for (const std::string& key : reconciled.added) {
    touch(c, key);
    resolve_now(c, key);
  }
  // Kept targets: the same state, other aliases (owner results to rebuild, nothing to save).
  for (const std::string& key : reconciled.touched)
    c->dirty.insert_or_assign(key, c->registry.find(key)->state.target);
  if (reconciled.health_ports_changed) c->probes_dirty = true;
  request_commit(c);
}

void rezone(const Core& c, ZoneIndexPtr zones, ProviderZonesPtr providers,
            const std::vector<Name>& changed_zones) {
  c->zones = std::move(zones);
  c->providers = std::move(providers);
  // Changed apexes where no provider zone is now: deleted, unmarked, or a customer's zone.
  std::vector<Name> lost;
  for (const Name& apex : changed_zones)
    if (!c->providers || !c->providers->contains(apex)) lost.push_back(apex);
  for (const std::string& key : c->registry.depending_on(lost)) drop_local(c, key, true);
  for (const std::string& key : c->registry.depending_on(changed_zones)) {
    drop_local(c, key, false);
    resolve_now(c, key);
  }
  request_commit(c);
}

}  // namespace

Flattener::Flattener(asio::io_context& io, UpstreamClient& upstream, FlattenPolicy policy,
                     StateStore& store, Publish publish, WallClock clock)
    : core_(std::make_shared<FlattenerCore>(io, upstream, std::move(policy), store,
                                            std::move(publish), std::move(clock))) {
  std::weak_ptr<FlattenerCore> weak = core_;
  core_->health_changed = [weak] {
    if (auto c = weak.lock()) on_health_changed(c);
  };
}

Flattener::~Flattener() {
  core_->stopped = true;
  core_->health.stop();
  core_->timer.cancel();
  core_->commit_timer.cancel();
  if (core_->started) persist_changed(core_);
  core_->writer.close();
}

void Flattener::start() {
  auto loaded = core_->store.load();
  std::vector<TargetState> states;
  if (loaded) {
    states = std::move(*loaded);
  } else {
    std::lock_guard lock(core_->snapshot_mutex);
    core_->load_error = loaded.error();
    ++core_->load_errors;
  }
  asio::post(core_->strand, [c = core_, states = std::move(states)]() mutable {
    if (!c->stopped) begin(c, std::move(states));
  });
}

void Flattener::on_status_changes(StatusChanges changes) {
  core_->status_changes = std::move(changes);
}

void Flattener::set_aliases(std::vector<AliasSpec> aliases) {
  asio::post(core_->strand, [c = core_, aliases = std::move(aliases)]() mutable {
    if (!c->stopped) reconcile(c, c->registry.set_aliases(std::move(aliases)));
  });
}

void Flattener::set_zone_aliases(std::vector<ZoneAliases> zones) {
  asio::post(core_->strand, [c = core_, zones = std::move(zones)]() mutable {
    if (!c->stopped) reconcile(c, c->registry.set_zone_aliases(std::move(zones)));
  });
}

void Flattener::set_local_zones(ZoneIndexPtr zones, ProviderZonesPtr providers,
                                std::vector<Name> changed_zones) {
  asio::post(core_->strand, [c = core_, zones = std::move(zones), providers = std::move(providers),
                             changed = std::move(changed_zones)]() mutable {
    if (!c->stopped) rezone(c, std::move(zones), std::move(providers), changed);
  });
}

void Flattener::refresh(const Name& target) {
  asio::post(core_->strand, [c = core_, key = TargetRegistry::key_of(target)] {
    if (!c->stopped && c->registry.find(key)) resolve_now(c, key);
  });
}

Flattener::Counters Flattener::counters() const {
  const auto& cells = core_->cells;
  Counters out;
  out.refreshes = cells.refreshes;
  out.failures = cells.failures;
  out.negative_answers = cells.negative_answers;
  out.upstream_queries = cells.upstream_queries;
  out.local_resolutions = cells.local_resolutions;
  out.health_probes = core_->health.probes();
  out.health_failures = core_->health.failures();
  out.publications = cells.publications;
  out.publish_errors = cells.publish_errors;
  out.persist_errors = core_->writer.errors() + core_->load_errors;
  out.targets = cells.targets;
  out.stale_families = cells.stale_families;
  out.failed_families = cells.failed_families;
  return out;
}

std::string Flattener::last_store_error() const {
  std::string error = core_->writer.last_error();
  if (!error.empty()) return error;
  std::lock_guard lock(core_->snapshot_mutex);
  return core_->load_error;
}

std::vector<TargetState> Flattener::snapshot_state() const {
  std::lock_guard lock(core_->snapshot_mutex);
  std::vector<TargetState> states;
  states.reserve(core_->snapshot.size());
  for (const auto& [key, state] : core_->snapshot) states.push_back(state);
  return states;
}

}  // namespace apex::flatten
