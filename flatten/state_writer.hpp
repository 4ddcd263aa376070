// Persists TargetStates off the io_context (ARCHITECTURE.md §5: never block it on anything slow):
// one background thread writes to the StateStore, coalescing changes made while it was busy.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "flatten/state_store.hpp"

namespace apex::flatten {

class StateWriter {
 public:
  explicit StateWriter(StateStore& store);
  // close()
  ~StateWriter();
  StateWriter(const StateWriter&) = delete;
  StateWriter& operator=(const StateWriter&) = delete;

  // Queue for the background thread; a later call for the same target (any case) replaces an
  // earlier one not yet written. Callable from any thread; ignored after close().
  void save(std::vector<TargetState> changed);
  void remove(std::vector<Name> targets);
  // Writes whatever is queued and stops the thread; the store is not used afterwards.
  void close();

  std::uint64_t errors() const { return errors_.load(); }
  std::string last_error() const;

 private:
  void post_flush_locked();
  void flush();

  StateStore& store_;
  boost::asio::thread_pool thread_{1};
  mutable std::mutex mutex_;
  std::map<std::string, TargetState> saves_;  // by lower-cased wire form
  std::map<std::string, Name> removals_;
  bool flush_posted_ = false;
  bool closed_ = false;
  std::atomic<std::uint64_t> errors_{0};
  std::string last_error_;
};

}  // namespace apex::flatten
