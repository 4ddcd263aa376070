// Wakes live apply as soon as another process writes to the database (ARCHITECTURE.md §6), so a
// change is served within milliseconds without polling SQLite often: inotify(7) on the database's
// directory reports writes to the database and its WAL file.
#pragma once

#include <array>
#include <filesystem>
#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "zones/result.hpp"

namespace apex::server {

class DatabaseWatch {
 public:
  using OnWrite = std::function<void()>;

  explicit DatabaseWatch(boost::asio::io_context& io) : descriptor_(io) {}
  // Watches the directory of database for writes to the files whose names start with the
  // database's (the database, its -wal and -journal files); on_write runs on io after each
  // batch of such events. An error (no inotify, watch limit reached) leaves it inactive.
  Status start(const std::filesystem::path& database, OnWrite on_write);
  void stop();

 private:
  void read();
  bool names_database(const char* events, std::size_t length) const;

  boost::asio::posix::stream_descriptor descriptor_;
  std::string prefix_;  // the database's file name
  OnWrite on_write_;
  alignas(8) std::array<char, 4096> buffer_{};
};

}  // namespace apex::server
