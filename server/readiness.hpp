// Whether apexd serves (for GET /readyz): loading zones at start, serving, or draining after
// SIGTERM. Set by the startup sequence, read by the metrics listener's thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace apex::server {

enum class ReadinessState : std::uint8_t { kLoading, kServing, kDraining };

class Readiness {
 public:
  void set(ReadinessState state) { state_.store(state, std::memory_order_relaxed); }
  ReadinessState get() const { return state_.load(std::memory_order_relaxed); }
  bool serving() const { return get() == ReadinessState::kServing; }

 private:
  std::atomic<ReadinessState> state_{ReadinessState::kLoading};
};

}  // namespace apex::server
