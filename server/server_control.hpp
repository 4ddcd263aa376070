// What the control socket's commands do in the running server (see control_socket.hpp): status
// and stats read the published snapshot, the flattener's state and the secondaries' recorded
// serials; reload, zone-reload and alias-refresh act through the objects run_server owns.
// Every call runs on the control thread, where those objects live (ARCHITECTURE.md §7).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/alias_service.hpp"
#include "server/config.hpp"
#include "server/control_socket.hpp"
#include "server/snapshot_store.hpp"
#include "server/zone_follower.hpp"
#include "storage/database.hpp"

namespace apex::server {

class ServerControl : public ControlHandler {
 public:
  // Re-reads the configuration as SIGHUP does; the changed settings that wait for a restart,
  // or why the new configuration was refused (the running one stays).
  using Reload = std::function<Result<std::vector<std::string>>()>;
  // The server's counters as one JSON object (`stats`).
  using StatsJson = std::function<std::string()>;

  ServerControl(const Config& config, const SnapshotStore& store, ZoneFollower& follower,
                AliasService& aliases, Reload reload, StatsJson stats);

  JsonObject status() override;
  Result<JsonObject> perform(const ControlRequest& request) override;

  // At most this many zones are named per secondary in status's serials_behind.
  static constexpr std::size_t kBehindExamples = 10;

 private:
  Result<JsonObject> zone_stats(const Name& apex);
  Result<JsonObject> zone_reload(const Name& apex);
  Result<JsonObject> alias_refresh(const Name& owner);
  Result<JsonObject> reload();
  // Per secondary, the served zones it gets whose last transferred serial is not the served
  // one, as apexd recorded them (storage/secondary_state.hpp).
  Result<std::string> serials_behind();
  Result<storage::Database*> database();

  const Config& config_;
  const SnapshotStore& store_;
  ZoneFollower& follower_;
  AliasService& aliases_;
  Reload reload_;
  StatsJson stats_;
  std::unique_ptr<storage::Database> db_;  // read-only, opened at the first use
};

}  // namespace apex::server
