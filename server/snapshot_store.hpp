// Publication of zone index snapshots (DESIGN §3.2, §3.7): writers swap in a new index under a
// mutex and bump a generation counter; each worker keeps its own reference and re-reads it
// only when the generation moved, so queries share no reference-count traffic.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "zones/zone_index.hpp"

namespace apex::server {

class SnapshotStore {
 public:
  explicit SnapshotStore(ZoneIndexPtr initial) : current_(std::move(initial)) {}

  void publish(ZoneIndexPtr next) {
    {
      std::lock_guard lock(mutex_);
      current_ = std::move(next);
    }
    generation_.fetch_add(1, std::memory_order_release);
  }
  ZoneIndexPtr current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  ZoneIndexPtr current_;
  std::atomic<std::uint64_t> generation_{0};
};

// One per worker thread. refresh() is called once per receive batch.
class SnapshotReader {
 public:
  explicit SnapshotReader(const SnapshotStore& store) : store_(store) { reload(); }

  const ZoneIndex& refresh() {
    if (store_.generation() != seen_) reload();
    return *index_;
  }

 private:
  void reload() {
    seen_ = store_.generation();
    index_ = store_.current();
  }
  const SnapshotStore& store_;
  ZoneIndexPtr index_;
  std::uint64_t seen_ = 0;
};

}  // namespace apex::server
