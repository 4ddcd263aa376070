// A control socket request: one line, a command and its arguments, e.g. "zone-reload
// example.com". Requests come from local clients that may send anything; parsing never throws.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex::server {

// The longest request line accepted, newline excluded.
inline constexpr std::size_t kMaxControlRequest = 4096;

enum class ControlCommand {
  kStatus,        // status
  kStats,         // stats, or stats zone ZONE (name set)
  kReload,        // reload: the configuration, as SIGHUP
  kZoneReload,    // zone-reload ZONE
  kAliasRefresh,  // alias-refresh NAME
};

struct ControlRequest {
  ControlCommand command = ControlCommand::kStatus;
  std::optional<Name> name;  // the zone or alias the command is about

  // Whether the command changes what the server does (logged); the others only read.
  bool is_action() const {
    return command == ControlCommand::kReload || command == ControlCommand::kZoneReload ||
           command == ControlCommand::kAliasRefresh;
  }
};

// Parses one request line (without its newline; a trailing CR is ignored). Words are
// separated by spaces or tabs. Errors say what was wrong, quoting only printable ASCII.
Result<ControlRequest> parse_control_request(std::string_view line);

}  // namespace apex::server
