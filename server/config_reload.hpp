// SIGHUP: what a new configuration changes in a running apexd. The log level and [rrl] take
// effect at once; settings bound to sockets, threads and the flattener are reported as waiting
// for a restart, so the operator is never left guessing which configuration is in force.
#pragma once

#include <string>
#include <vector>

#include "server/config.hpp"

namespace apex::server {

struct ReloadPlan {
  bool log_level_changed = false;
  bool rrl_changed = false;  // [rrl] applies at once (workers pick it up per receive batch)
  std::vector<std::string> need_restart;  // names of changed settings that wait for a restart
};

ReloadPlan plan_reload(const Config& running, const Config& fresh);

// Logs the outcome of a reload attempt: the error (the running configuration stays), or what
// changed and what waits for a restart. Applies what can change at once and returns the
// configuration now in force.
Config apply_reload(const Config& running, const Result<Config>& fresh);

// apply_reload over running in place, for SIGHUP and the control socket's `reload`: the
// changed settings that wait for a restart, or why fresh was refused.
Result<std::vector<std::string>> reload_config(Config& running, const Result<Config>& fresh);

}  // namespace apex::server
