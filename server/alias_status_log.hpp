// Logs each ALIAS target family that starts failing, goes stale, turns negative or recovers,
// once per transition, so an operator reads in the log what the counters only sum up.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "flatten/status_change.hpp"
#include "server/log.hpp"

namespace apex::server {

// Lines of one batch of changes beyond which the rest is summed up in one line: a resolver
// outage turns every target stale at once, and the log should say so, not list ten thousand.
inline constexpr std::size_t kMaxStatusLines = 20;

struct StatusLine {
  LogLevel level;
  std::string text;

  friend bool operator==(const StatusLine&, const StatusLine&) = default;
};

// The lines for a batch: warnings for failing and stale, info for negative, dropped and
// recovered, debug for a first resolution; at most kMaxStatusLines above debug, then a summary.
std::vector<StatusLine> status_lines(const std::vector<flatten::StatusChange>& changes);

void log_status_changes(const std::vector<flatten::StatusChange>& changes);

}  // namespace apex::server
