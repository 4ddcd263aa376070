// The ALIAS flattener (ARCHITECTURE.md §5): resolves each distinct target once per family, follows
// CNAME chains (through served zones without upstream queries), refreshes by TTL, serves
// stale, fallback or health-filtered results as the policy says, and publishes every change
// as a new AliasTable while persisting last-known-good.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "flatten/alias_spec.hpp"
#include "flatten/flatten_policy.hpp"
#include "flatten/provider_zones.hpp"
#include "flatten/state_store.hpp"
#include "flatten/status_change.hpp"
#include "flatten/target_registry.hpp"
#include "flatten/upstream_client.hpp"
#include "flatten/wall_clock.hpp"
#include "zones/alias_table.hpp"
#include "zones/zone_index.hpp"

namespace apex::flatten {

struct FlattenerCore;

class Flattener {
 public:
  // Receives every new table (server: SnapshotStore::publish_aliases); runs on the io_context.
  using Publish = std::function<void(AliasTablePtr)>;
  // Receives the target families whose status changed since the previous publication (not
  // those restored by start()); runs on the io_context.
  using StatusChanges = std::function<void(std::vector<StatusChange>)>;

  struct Counters {
    std::uint64_t refreshes = 0;          // resolutions of a target's family completed
    std::uint64_t failures = 0;           // ... of which failed (time-out, SERVFAIL, loop, …)
    std::uint64_t negative_answers = 0;   // ... of which were NXDOMAIN or NODATA
    std::uint64_t upstream_queries = 0;   // questions handed to the upstream client
    std::uint64_t local_resolutions = 0;  // chain steps answered from served zones
    std::uint64_t health_probes = 0;
    std::uint64_t health_failures = 0;
    std::uint64_t publications = 0;    // tables published
    std::uint64_t publish_errors = 0;  // tables AliasTable::build refused (a bug: never expected)
    std::uint64_t persist_errors = 0;  // StateStore load, save or remove calls that failed
    // As of the last publication:
    std::uint64_t targets = 0;          // distinct targets
    std::uint64_t stale_families = 0;   // target families serving last-known-good as stale
    std::uint64_t failed_families = 0;  // target families with nothing to serve
  };

  // Does nothing until start(). Every callback (publish, upstream completions, timers, health
  // probes) runs on a strand of io. The store is used from start()'s thread (load) and from
  // one background thread (save, remove), never from io. clock gives wall-clock milliseconds
  // (persisted timestamps, max-stale, grace, refresh times); timers sleep on the steady clock
  // for at most policy.clock_check_interval before reading it again.
  Flattener(boost::asio::io_context& io, UpstreamClient& upstream, FlattenPolicy policy,
            StateStore& store, Publish publish, WallClock clock = system_now_ms);
  // Writes what is not yet persisted and stops. Destroy it before io, and while no handler of
  // io runs concurrently (after io stopped, or from a handler of a single-threaded io); work
  // under way is abandoned.
  ~Flattener();
  Flattener(const Flattener&) = delete;
  Flattener& operator=(const Flattener&) = delete;

  // Loads the persisted state (on the calling thread), then, on io: publishes it at once, so a
  // restart during an outage answers immediately; resolves targets whose refresh is due (or
  // new) and schedules the rest. Call it once; set_aliases and set_local_zones may come
  // before or after (before: their work waits for start). A store that cannot be read is
  // counted (persist_errors, last_store_error) and the flattener starts without it.
  void start();

  // Where status changes go; call it before start().
  void on_status_changes(StatusChanges changes);

  // Reconciles the aliases of these zones (the others' stay as they were): targets new to
  // the registry are resolved at once (both families), targets no alias points at any more
  // are forgotten (and removed from the store); owners' fallback and health settings take
  // effect at the next publication, which this triggers. Costs in proportion to these zones'
  // aliases, and the publication to the targets they touch (ARCHITECTURE.md §3.6). The
  // first call (even with no zones) also settles which persisted states are still aliased.
  void set_zone_aliases(std::vector<ZoneAliases> zones);
  // The same for every zone at once: these aliases replace all others, as one group.
  void set_aliases(std::vector<AliasSpec> aliases);

  // The zones served from now on, and which of them are provider-owned. Targets (and chain
  // names) whose deepest enclosing zone is a provider zone are resolved from this snapshot
  // with no upstream query; all others upstream. Targets whose name or chain lies at or
  // below one of changed_zones (changed, added or removed apexes, or whose provider flag
  // changed) are re-flattened at once; what they had learned locally from a changed zone
  // that is not a provider zone now (deleted, unmarked, a customer's) is dropped first, with
  // no last-known-good. Local results restored by start() are dropped the same way when no
  // provider zone serves their chain any more.
  void set_local_zones(ZoneIndexPtr zones, ProviderZonesPtr providers,
                       std::vector<Name> changed_zones);

  // Resolves target again now, both families, whatever its refresh time (an operator who
  // knows the target moved need not wait for its TTL); nothing when no alias points at it.
  void refresh(const Name& target);

  // Callable from any thread.
  Counters counters() const;
  // Every target's state as of the last publication (for `alias status`).
  std::vector<TargetState> snapshot_state() const;
  // The last error of the StateStore, or empty.
  std::string last_store_error() const;

 private:
  std::shared_ptr<FlattenerCore> core_;
};

}  // namespace apex::flatten
