// Logs ALIAS target status transitions once each.
#include "server/alias_status_log.hpp"

namespace apex::server {
namespace {

using flatten::FlattenStatus;
using flatten::StatusChange;

std::string subject(const StatusChange& c) {
  return "flatten: " + c.target.to_text() + " " + (c.family == RRType::AAAA ? "AAAA" : "A");
}

std::string addresses(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " address" : " addresses");
}

std::string failing(const StatusChange& c) {
  return subject(c) + ": resolution failing" + (c.error.empty() ? "" : " (" + c.error + ")");
}

StatusLine line_for(const StatusChange& c) {
  switch (c.after) {
    case FlattenStatus::kStale:
      return {LogLevel::kWarning,
              failing(c) + "; serving " + addresses(c.addresses) + " last known good as stale"};
    case FlattenStatus::kFailed:
      return {LogLevel::kWarning, failing(c) +
                                      "; nothing left to serve: aliases with fallback addresses "
                                      "serve those, the others SERVFAIL"};
    case FlattenStatus::kNegative:
      return {LogLevel::kInfo,
              subject(c) + ": the target has no such records; aliases answer NODATA"};
    case FlattenStatus::kPending:
      return {LogLevel::kInfo, subject(c) +
                                   ": result dropped (its zone is gone or no longer "
                                   "provider-owned); resolving again"};
    case FlattenStatus::kFresh:
      break;
  }
  if (c.before == FlattenStatus::kPending)
    return {LogLevel::kDebug, subject(c) + ": resolved, " + addresses(c.addresses)};
  return {LogLevel::kInfo, subject(c) + ": recovered, serving " + addresses(c.addresses)};
}

}  // namespace

std::vector<StatusLine> status_lines(const std::vector<StatusChange>& changes) {
  std::vector<StatusLine> lines;
  std::size_t shown = 0, more = 0;
  for (const StatusChange& c : changes) {
    StatusLine line = line_for(c);
    if (line.level != LogLevel::kDebug && shown++ >= kMaxStatusLines)
      ++more;
    else
      lines.push_back(std::move(line));
  }
  if (more > 0)
    lines.push_back(
        {LogLevel::kWarning, "flatten: " + std::to_string(more) +
                                 " more target status changes ('apexctl alias status' lists every "
                                 "target)"});
  return lines;
}

void log_status_changes(const std::vector<StatusChange>& changes) {
  for (const StatusLine& line : status_lines(changes)) log(line.level, line.text);
}

}  // namespace apex::server
