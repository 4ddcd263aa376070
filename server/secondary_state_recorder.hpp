// Writes what SecondaryEvents collected to the database's secondary_state (for `apexctl zone
// status`), at most once per interval, from the control thread, through a connection of its
// own: the SQLite write never runs on a worker. Events of one kind for the same secondary and
// zone coalesce (the latest wins), so while the database refuses writes at most one event per
// kind, secondary and zone waits, and is written once it accepts them again. A failure is
// logged once per episode and never stops serving.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/secondary_events.hpp"
#include "storage/database.hpp"

namespace apex::server {

class SecondaryStateRecorder {
 public:
  SecondaryStateRecorder(boost::asio::io_context& io, std::filesystem::path database,
                         SecondaryEvents& events,
                         std::chrono::milliseconds interval = std::chrono::seconds(1));
  // Flushes every interval until stop().
  void start();
  void stop();
  // Takes the queued events and writes everything pending; false when the write failed (the
  // events stay pending). Also called once at shutdown, after the workers have stopped.
  bool flush();
  // Coalesced events not yet written.
  std::size_t pending() const { return pending_.size(); }
  // Closes the connection; the next write opens it again (see DatabaseReopen).
  void close_database() { db_.reset(); }

 private:
  void arm();
  void take_events();
  Status write();

  boost::asio::steady_timer timer_;
  std::filesystem::path database_;
  SecondaryEvents& events_;
  std::chrono::milliseconds interval_;
  std::unique_ptr<storage::Database> db_;  // opened at the first write
  std::map<std::string, storage::SecondaryEvent> pending_;
  bool failing_ = false;
  bool stopped_ = false;
};

}  // namespace apex::server
