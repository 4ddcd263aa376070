// Publication of zone index snapshots and ALIAS answer tables (ARCHITECTURE.md §3.2, §3.5, §3.7):
// writers swap in a new index or table under a mutex and bump one generation counter; each
// worker keeps its own references and re-reads them only when the generation moved, so
// queries share no reference-count traffic.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "server/transfer_access.hpp"
#include "zones/alias_table.hpp"
#include "zones/zone_index.hpp"

namespace apex::server {

// What queries are answered from: the zones and the flattener's latest results.
struct Snapshot {
  ZoneIndexPtr zones;
  AliasTablePtr aliases;
  TransferAccessPtr access = std::make_shared<const TransferAccess>();  // TSIG keys, secondaries
};

class SnapshotStore {
 public:
  explicit SnapshotStore(ZoneIndexPtr initial,
                         AliasTablePtr aliases = std::make_shared<const AliasTable>())
      : current_{std::move(initial), std::move(aliases)} {}

  // Zone changes and flattening results are published independently: each keeps the
  // other's latest.
  void publish(ZoneIndexPtr next) {
    {
      std::lock_guard lock(mutex_);
      current_.zones = std::move(next);
    }
    generation_.fetch_add(1, std::memory_order_release);
  }
  void publish_aliases(AliasTablePtr next) {
    {
      std::lock_guard lock(mutex_);
      current_.aliases = std::move(next);
    }
    generation_.fetch_add(1, std::memory_order_release);
  }
  void publish_access(TransferAccessPtr next) {
    {
      std::lock_guard lock(mutex_);
      current_.access = std::move(next);
    }
    generation_.fetch_add(1, std::memory_order_release);
  }
  ZoneIndexPtr current() const {
    std::lock_guard lock(mutex_);
    return current_.zones;
  }
  Snapshot snapshot() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  Snapshot current_;
  std::atomic<std::uint64_t> generation_{0};
};

// One per worker thread. refresh() is called once per receive batch; the snapshot it
// returns stays valid until the next refresh().
class SnapshotReader {
 public:
  explicit SnapshotReader(const SnapshotStore& store) : store_(store) { reload(); }

  const Snapshot& refresh() {
    if (store_.generation() != seen_) reload();
    return current_;
  }

 private:
  void reload() {
    seen_ = store_.generation();
    current_ = store_.snapshot();
  }
  const SnapshotStore& store_;
  Snapshot current_;
  std::uint64_t seen_ = 0;
};

}  // namespace apex::server
