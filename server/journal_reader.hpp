// The IXFR journal as transfer sessions read it (RFC 1995 §4): the version steps from a
// secondary's serial to the one being served, read from the database by the worker serving
// the transfer. One connection shared by every worker behind a lock: IXFR requests are rare
// next to queries and read a few rows, and the query path never comes here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "storage/database.hpp"
#include "zones/zone_difference.hpp"

namespace apex::server {

class JournalReader {
 public:
  explicit JournalReader(std::filesystem::path database) : path_(std::move(database)) {}

  // The versions from serial from to serial to, oldest first; nothing when the journal holds
  // no such run or cannot be read (logged): the caller then sends the whole zone.
  std::optional<std::vector<ZoneDifference>> versions(const Name& apex, std::uint32_t from,
                                                      std::uint32_t to);
  // Closes the connection, waiting for a read in progress; the next read opens it again
  // (see DatabaseReopen).
  void close_database() {
    std::lock_guard lock(mutex_);
    db_.reset();
  }

 private:
  Result<std::vector<storage::JournalVersion>> read(const Name& apex);

  std::mutex mutex_;
  std::filesystem::path path_;
  std::unique_ptr<storage::Database> db_;  // opened on first use, again after an error
};

}  // namespace apex::server
