// The limit on zone transfers served at once, across all workers (BIND's transfers-out): a
// transfer holds a slot for as long as it streams, and a request that finds none free is
// answered at once without zone data.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>

#include "server/log_throttle.hpp"

namespace apex::server {

class TransferSlots;

// One transfer's share of the limit, given back when it goes out of scope (or is moved from
// into another slot, which then gives it back).
class TransferSlot {
 public:
  TransferSlot(TransferSlot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
  TransferSlot& operator=(TransferSlot&& other) noexcept;
  TransferSlot(const TransferSlot&) = delete;
  TransferSlot& operator=(const TransferSlot&) = delete;
  ~TransferSlot() { release(); }

 private:
  friend class TransferSlots;
  explicit TransferSlot(TransferSlots* owner) : owner_(owner) {}
  void release();

  TransferSlots* owner_;
};

class TransferSlots {
 public:
  explicit TransferSlots(unsigned limit) : limit_(limit) {}
  TransferSlots(const TransferSlots&) = delete;
  TransferSlots& operator=(const TransferSlots&) = delete;

  // A slot when fewer than limit transfers hold one; nothing when all are taken. Lock-free:
  // any worker thread may call it.
  std::optional<TransferSlot> try_acquire();

  unsigned in_use() const { return in_use_.load(std::memory_order_relaxed); }
  unsigned limit() const { return limit_; }

  // Requests refused for want of a slot are logged through this: once a second at most,
  // across all workers.
  LogThrottle refusal_log{std::chrono::seconds(1)};

 private:
  friend class TransferSlot;
  void give_back() { in_use_.fetch_sub(1, std::memory_order_acq_rel); }

  const unsigned limit_;
  std::atomic<unsigned> in_use_{0};
};

}  // namespace apex::server
