// The queue between the threads that see secondaries and the recorder (see
// secondary_events.hpp).
#include "server/secondary_events.hpp"

#include <utility>

namespace apex::server {

void SecondaryEvents::add(storage::SecondaryEvent event) {
  std::lock_guard lock(mutex_);
  if (events_.size() >= kMaxQueued) {
    ++dropped_;
    return;
  }
  events_.push_back(std::move(event));
}

std::vector<storage::SecondaryEvent> SecondaryEvents::take() {
  std::vector<storage::SecondaryEvent> taken;
  std::lock_guard lock(mutex_);
  taken.swap(events_);
  return taken;
}

std::uint64_t SecondaryEvents::take_dropped() {
  std::lock_guard lock(mutex_);
  return std::exchange(dropped_, 0);
}

}  // namespace apex::server
