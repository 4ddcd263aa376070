// The process-wide count of failed database reads and writes.
#include "server/sqlite_errors.hpp"

#include <atomic>

namespace apex::server {
namespace {

std::atomic<std::uint64_t> errors{0};

}  // namespace

void count_sqlite_error() {
  errors.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t sqlite_errors() {
  return errors.load(std::memory_order_relaxed);
}

}  // namespace apex::server
