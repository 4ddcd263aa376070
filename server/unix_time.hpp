// The wall clock since 1970: in whole seconds for TSIG's Time Signed (RFC 8945 §4.2), in
// milliseconds for the times the database keeps.
#pragma once

#include <chrono>
#include <cstdint>

namespace apex::server {

inline std::uint64_t unix_seconds() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

inline std::int64_t unix_milliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace apex::server
