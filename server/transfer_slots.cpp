// The transfer concurrency limit (see transfer_slots.hpp).
#include "server/transfer_slots.hpp"

namespace apex::server {

TransferSlot& TransferSlot::operator=(TransferSlot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = other.owner_;
    other.owner_ = nullptr;
  }
  return *this;
}

void TransferSlot::release() {
  if (owner_) owner_->give_back();
  owner_ = nullptr;
}

std::optional<TransferSlot> TransferSlots::try_acquire() {
  // Compare-and-swap rather than add-then-check, so a burst of refused requests never
  // pushes the count past the limit, not even for a moment.
  unsigned used = in_use_.load(std::memory_order_relaxed);
  do {
    if (used >= limit_) return std::nullopt;
  } while (!in_use_.compare_exchange_weak(used, used + 1, std::memory_order_acq_rel,
                                          std::memory_order_relaxed));
  return TransferSlot(this);
}

}  // namespace apex::server
