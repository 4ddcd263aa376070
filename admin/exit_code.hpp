// apexctl's exit statuses: scripts branch on them, so they are part of its interface.
#pragma once

namespace apex::admin {

enum class ExitCode : int {
  kOk = 0,
  kRefused = 1,   // invalid input, or a change the zone rules forbid; nothing was changed
  kUsage = 2,     // unknown command or option, missing or extra arguments
  kDatabase = 3,  // database missing, unreadable, locked or failing; nothing was changed
  // Control commands (status, stats, reload, ...): apexd is not running, no socket or nothing
  // listening on it. The same status as kDatabase: the thing asked is not there.
  kNotRunning = 3,
};

inline int to_int(ExitCode code) {
  return static_cast<int>(code);
}

}  // namespace apex::admin
