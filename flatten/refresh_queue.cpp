// The refresh schedule as an ordered set with an index by slot.
#include "flatten/refresh_queue.hpp"

namespace apex::flatten {

void RefreshQueue::schedule(const RefreshSlot& slot, std::int64_t due_ms) {
  cancel(slot);
  order_.emplace(due_ms, slot);
  due_.emplace(slot, due_ms);
}

void RefreshQueue::cancel(const RefreshSlot& slot) {
  auto it = due_.find(slot);
  if (it == due_.end()) return;
  order_.erase({it->second, slot});
  due_.erase(it);
}

void RefreshQueue::cancel_target(const std::string& key) {
  cancel({key, RRType::A});
  cancel({key, RRType::AAAA});
}

std::optional<std::int64_t> RefreshQueue::earliest() const {
  if (order_.empty()) return std::nullopt;
  return order_.begin()->first;
}

std::vector<RefreshSlot> RefreshQueue::take_due(std::int64_t now_ms) {
  std::vector<RefreshSlot> slots;
  while (!order_.empty() && order_.begin()->first <= now_ms) {
    slots.push_back(order_.begin()->second);
    due_.erase(slots.back());
    order_.erase(order_.begin());
  }
  return slots;
}

}  // namespace apex::flatten
