// Log lines go out in one write each so lines from different threads never interleave.
#include "server/log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <string>

namespace apex::server {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::atomic<std::uint64_t> g_dropped{0};

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "?";
}

std::string timestamp() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

void set_log_level(LogLevel level) {
  g_level = level;
}

bool parse_log_level(std::string_view text, LogLevel& out) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError})
    if (text == level_name(l)) {
      out = l;
      return true;
    }
  return false;
}

void log(LogLevel level, std::string_view message) {
  if (level < g_level.load(std::memory_order_relaxed)) return;
  std::string line = timestamp() + " apexd[" + level_name(level) + "] ";
  line.append(message);
  line.push_back('\n');
  // A log sink that went away (a closed pipe: EPIPE, SIGPIPE being ignored) or is full never
  // stops the server: the line is counted as dropped instead.
  const auto written = ::write(STDERR_FILENO, line.data(), line.size());
  if (written != static_cast<ssize_t>(line.size()))
    g_dropped.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t dropped_log_lines() {
  return g_dropped.load(std::memory_order_relaxed);
}

}  // namespace apex::server
