// apexctl's exit statuses: scripts branch on them, so they are part of its interface.
#pragma once

namespace apex::admin {

enum class ExitCode : int {
  kOk = 0,
  kRefused = 1,   // invalid input, or a change the zone rules forbid; nothing was changed
  kUsage = 2,     // unknown command or option, missing or extra arguments
  kDatabase = 3,  // database missing, unreadable, locked or failing; nothing was changed
};

inline int to_int(ExitCode code) {
  return static_cast<int>(code);
}

}  // namespace apex::admin
