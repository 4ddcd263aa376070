// The wall clock in whole seconds since 1970: TSIG's Time Signed (RFC 8945 §4.2) is checked
// and written in this unit. (Milliseconds for the database: flatten/wall_clock.hpp.)
#pragma once

#include <chrono>
#include <cstdint>

namespace apex::server {

inline std::uint64_t unix_seconds() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace apex::server
