// The flattener's notion of time: wall-clock milliseconds since the Unix epoch, since its
// timestamps are persisted and read back after a restart (ARCHITECTURE.md §5). Injectable for
// tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace apex::flatten {

using WallClock = std::function<std::int64_t()>;

inline std::int64_t system_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace apex::flatten
