// The flattener's StateStore over the apexdns database (storage alias_state): last-known-good
// results survive restarts, and `apexctl alias status` reads what is written here.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "flatten/state_store.hpp"
#include "storage/database.hpp"

namespace apex::flatten {

class SqliteStateStore : public StateStore {
 public:
  // Uses its own connection: save() runs on the flattener's background thread. stale_ttl is
  // the policy's (FlattenPolicy::stale_ttl): saved rows say which TTL is served. On a
  // read-only connection load() reads and save()/remove() keep nothing (and succeed): the
  // results then live in the flattener's memory only.
  SqliteStateStore(std::unique_ptr<storage::Database> db, std::chrono::seconds stale_ttl)
      : db_(std::move(db)), stale_ttl_(stale_ttl) {}

  Result<std::vector<TargetState>> load() override;
  Status save(const std::vector<TargetState>& changed) override;
  Status remove(const std::vector<Name>& targets) override;

  // Swaps the connection (none: closed, and every call fails until the next one), from any
  // thread: waits for a call in progress. For a database replaced under its reader.
  void replace_database(std::unique_ptr<storage::Database> db);

 private:
  Result<storage::Database*> connection();

  std::mutex mutex_;  // the connection, between the state writer and replace_database
  std::unique_ptr<storage::Database> db_;
  std::chrono::seconds stale_ttl_;
};

// Row form of one family, and back. The state column holds the status word of `alias
// status` (fresh, stale, negative, failed, pending) as of the save; it determines the
// AliasState on load (fresh and stale both mean addresses). served_ttl is written for status
// only: load derives it again. Everything else round-trips, the failure bookkeeping included,
// so a restart during an outage goes on with its backoff and max-stale clock.
storage::AliasTargetRow to_row(const Name& target, RRType family, const TargetState::Family& f,
                               std::int64_t now_ms, std::chrono::seconds stale_ttl);
Result<TargetState::Family> from_row(const storage::AliasTargetRow& row);

}  // namespace apex::flatten
