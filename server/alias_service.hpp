// Runs the ALIAS flattener beside the workers (ARCHITECTURE.md §5): its own thread and event loop,
// the upstream client, persistence in the database, and publication into the SnapshotStore.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "flatten/flattener.hpp"
#include "flatten/sqlite_state_store.hpp"
#include "server/config.hpp"
#include "server/logged_state_store.hpp"
#include "server/served_addresses.hpp"
#include "server/snapshot_store.hpp"
#include "storage/database.hpp"

namespace apex::server {

class AliasService {
 public:
  AliasService(const Config& config, SnapshotStore& store);
  ~AliasService();

  // Hands every zone's aliases to the flattener and starts it; returns once the persisted
  // results are published (bounded wait), so the first query already sees them.
  Status start(const ZoneIndexPtr& zones, storage::Database& db);
  // Live apply: the zones at these apexes changed (or appeared, or went away).
  void zones_changed(const ZoneIndexPtr& zones, const std::vector<Name>& changed,
                     storage::Database& db);
  // One log line of counters: refreshes, failures, stale answers, resolver health.
  std::string summary() const;
  // The same counters as values (callable from any thread).
  flatten::Flattener::Counters counters() const { return flattener_->counters(); }
  std::vector<flatten::ResolverStats> resolver_stats() const { return upstream_->stats(); }
  // The aliases of the zone at apex as handed to the flattener, and every target's state as
  // of its last publication; call on the thread that calls zones_changed.
  std::vector<flatten::AliasSpec> aliases_of(const Name& apex) const;
  std::vector<flatten::TargetState> target_states() const { return flattener_->snapshot_state(); }
  // Re-resolves the target of the alias at owner now; returns the target, or an error when
  // no served zone has an alias at owner. Same thread as zones_changed.
  Result<Name> refresh(const Name& owner);
  // The zones whose ALIAS owners now serve other addresses (or newly none, or newly some)
  // than at the last call, judged from snapshot, with what they served before; call on the
  // thread that calls zones_changed. TTLs are left out: resolvers hand out shrinking TTLs,
  // and a TTL is a cap a secondary may keep. The first call only records what is served;
  // later calls look only at the zones changed since the previous call and those whose
  // aliases point at targets whose table entries changed (ARCHITECTURE.md §3.6). A signed
  // zone is compared with what its snapshot holds (signed, TTLs included), on the first
  // call too, and "before" is that.
  std::vector<ServedChange> zones_served_differently(const Snapshot& snapshot);
  // What the zone's ALIAS owners served at the last call (none for a zone without them).
  ServedAddresses served(const Name& apex) const;
  // Swaps the connection the flattener's results are saved through (none: closed); see
  // DatabaseReopen.
  void replace_state_database(std::unique_ptr<storage::Database> db);

 private:
  Status collect(const Zone& zone, storage::Database& db);
  // Reads the provider flag of the changed zones (deleted zones are no provider zones).
  void update_providers(const std::vector<Name>& changed, storage::Database& db);
  // Keeps zones_by_target_ in step with by_zone_[apex]: add or remove its aliases' zone.
  void index_targets(const Name& apex, const std::vector<flatten::AliasSpec>& specs, bool add);
  // The zones to compare at the next zones_served_differently call.
  std::set<Name, CanonicalLess> zones_to_compare(const AliasTable& table);

  const Config& config_;
  SnapshotStore& store_;
  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<flatten::UpstreamClient> upstream_;
  std::unique_ptr<flatten::SqliteStateStore> state_;
  std::unique_ptr<LoggedStateStore> logged_state_;  // state_, its failed saves logged
  std::unique_ptr<flatten::Flattener> flattener_;
  std::map<Name, std::vector<flatten::AliasSpec>, CanonicalLess> by_zone_;
  std::map<Name, ServedAddresses, CanonicalLess> served_;  // per zone, at the last call
  bool served_known_ = false;
  // Per target key (lower-cased wire form), the zones with aliases pointing at it and how
  // many; the zones changed since the last comparison; the table it compared with.
  std::unordered_map<std::string, std::map<Name, std::size_t, CanonicalLess>> zones_by_target_;
  std::set<Name, CanonicalLess> zones_changed_since_;
  AliasTablePtr compared_table_;
  flatten::ProviderZonesPtr providers_ = std::make_shared<const flatten::ProviderZones>();
  std::thread thread_;
};

}  // namespace apex::server
