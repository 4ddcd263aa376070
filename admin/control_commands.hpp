// apexctl status, stats, reload, zone reload and alias refresh: commands that ask the running
// apexd through its control socket (server/control_socket.hpp) rather than the database. They
// neither open nor write the database, and add nothing to the change log.
#pragma once

#include <filesystem>
#include <span>
#include <string>

#include "admin/command_context.hpp"

namespace apex::admin {

extern const char* const kStatusUsage;
extern const char* const kStatsUsage;
extern const char* const kReloadUsage;
extern const char* const kZoneReloadUsage;
extern const char* const kAliasRefreshUsage;

// How long apexctl waits for apexd's reply (apexd gives up on its own work sooner).
inline constexpr std::chrono::seconds kControlTimeout{10};

// --control, else [control] socket of the configuration, else the database path + ".sock":
// the same place apexd puts it.
std::filesystem::path control_socket_of(const CommandContext& ctx);

// args follow the command words ("status", "stats", "reload", "zone reload", "alias
// refresh"). Return the exit status: 0 done (status: apexd is serving), 1 apexd refused or
// failed (status: it is loading or draining), 2 usage, 3 apexd is not running.
int run_status_command(std::span<const std::string> args, const CommandContext& ctx);
int run_stats_command(std::span<const std::string> args, const CommandContext& ctx);
int run_reload_command(std::span<const std::string> args, const CommandContext& ctx);
int run_zone_reload_command(std::span<const std::string> args, const CommandContext& ctx);
int run_alias_refresh_command(std::span<const std::string> args, const CommandContext& ctx);

}  // namespace apex::admin
