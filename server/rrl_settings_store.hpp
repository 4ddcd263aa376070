// The [rrl] settings in force, shared by the control thread (SIGHUP publishes new ones) and
// the workers, which look at one generation counter per receive batch and copy the settings
// only when it moved (as SnapshotStore, ARCHITECTURE.md §3.1: no lock per query).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "server/rrl_settings.hpp"

namespace apex::server {

class RrlSettingsStore {
 public:
  explicit RrlSettingsStore(RrlSettings initial)
      : current_(std::make_shared<const RrlSettings>(std::move(initial))) {}

  void publish(RrlSettings next) {
    auto made = std::make_shared<const RrlSettings>(std::move(next));
    {
      std::lock_guard lock(mutex_);
      current_ = std::move(made);
    }
    generation_.fetch_add(1, std::memory_order_release);
  }
  std::shared_ptr<const RrlSettings> current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const RrlSettings> current_;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace apex::server
