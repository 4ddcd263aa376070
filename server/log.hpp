// Readable, thread-safe log lines on stderr: "2026-01-01T12:00:00Z apexd[info] message".
#pragma once

#include <cstdint>
#include <string_view>

namespace apex::server {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

void set_log_level(LogLevel level);
bool parse_log_level(std::string_view text, LogLevel& out);
void log(LogLevel level, std::string_view message);
// Lines that could not be written (the log sink failed or went away).
std::uint64_t dropped_log_lines();

inline void log_info(std::string_view m) {
  log(LogLevel::kInfo, m);
}
inline void log_warning(std::string_view m) {
  log(LogLevel::kWarning, m);
}
inline void log_error(std::string_view m) {
  log(LogLevel::kError, m);
}
inline void log_debug(std::string_view m) {
  log(LogLevel::kDebug, m);
}

}  // namespace apex::server
