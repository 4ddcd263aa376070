// Health checks of resolved addresses (ARCHITECTURE.md §5): each (address, port) that some alias
// wants checked is probed by a TCP connect at once and then every interval, with bounded
// concurrency; the flattener hears when an address's health flips.
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "flatten/flatten_policy.hpp"
#include "flatten/state_store.hpp"
#include "flatten/wall_clock.hpp"

namespace apex::flatten {

struct ProbeKey {
  Address address;  // 4 or 16 octets
  std::uint16_t port = 0;

  friend auto operator<=>(const ProbeKey&, const ProbeKey&) = default;
};

struct HealthCheckerState;

class HealthChecker {
 public:
  // Called on the executor when an address turns unhealthy or healthy again.
  using Changed = std::function<void()>;

  // executor must be a strand (or a single-threaded io_context's executor); every member
  // below except probes() and failures() must be called on it.
  HealthChecker(boost::asio::any_io_executor executor, FlattenPolicy policy, WallClock clock,
                Changed changed);
  // Stops; probes under way finish without effect.
  ~HealthChecker();
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  // Starts the periodic re-probes.
  void start();
  void stop();
  // Results known from before a restart, used for keys watch() adds until they are probed.
  void seed(const std::vector<ProbeRecord>& records);
  // The keys to check from now on: new ones are probed at once; others are forgotten.
  void watch(const std::set<ProbeKey>& wanted);

  // Unknown keys and keys not probed yet count as healthy.
  bool healthy(const Address& address, std::uint16_t port) const;
  std::optional<ProbeRecord> record(const Address& address, std::uint16_t port) const;

  // Probes made and probes failed; readable from any thread.
  std::uint64_t probes() const;
  std::uint64_t failures() const;

 private:
  std::shared_ptr<HealthCheckerState> state_;
};

}  // namespace apex::flatten
