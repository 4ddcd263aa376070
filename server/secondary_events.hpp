// NOTIFY and transfer outcomes per secondary (RFC 1996, RFC 5936), collected from the notifier
// (control thread) and transfer sessions (worker threads) for SecondaryStateRecorder to write
// to the database. Adding is one push_back under a mutex: no query or transfer ever waits on
// SQLite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "storage/secondary_state.hpp"

namespace apex::server {

class SecondaryEvents {
 public:
  // Beyond this many events not yet taken, new ones are dropped (counted): the recorder takes
  // them every second, so only a control thread stuck for a long time gets here.
  static constexpr std::size_t kMaxQueued = 65536;

  // Callable from any thread.
  void add(storage::SecondaryEvent event);
  // Everything added since the last take, oldest first.
  std::vector<storage::SecondaryEvent> take();
  // Events dropped because the queue was full, since the last call.
  std::uint64_t take_dropped();

 private:
  std::mutex mutex_;
  std::vector<storage::SecondaryEvent> events_;
  std::uint64_t dropped_ = 0;
};

}  // namespace apex::server
