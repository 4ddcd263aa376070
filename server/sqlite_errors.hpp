// Failed database reads and writes of the running server, counted for the metrics: each is
// also logged, but a log line a second apart may be throttled or lost; the count is not.
#pragma once

#include <cstdint>

namespace apex::server {

// Counts one failed statement or transaction; callable from any thread.
void count_sqlite_error();
std::uint64_t sqlite_errors();

}  // namespace apex::server
