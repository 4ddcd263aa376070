// Comparing a freshly read configuration with the running one (SIGHUP).
#include "server/config_reload.hpp"

#include <algorithm>

#include "server/log.hpp"

namespace apex::server {

ReloadPlan plan_reload(const Config& running, const Config& fresh) {
  ReloadPlan plan;
  plan.log_level_changed = running.log_level != fresh.log_level;
  plan.rrl_changed = running.rrl != fresh.rrl;
  auto note = [&](bool changed, const char* name) {
    if (changed) plan.need_restart.emplace_back(name);
  };
  note(running.database != fresh.database, "database");
  note(running.listen != fresh.listen, "listen");
  note(running.threads != fresh.threads, "threads");
  note(running.max_udp_payload != fresh.max_udp_payload, "max_udp_payload");
  note(running.udp_batch != fresh.udp_batch, "udp_batch");
  note(running.udp_receive_buffer != fresh.udp_receive_buffer, "udp_receive_buffer");
  note(running.tcp_idle_timeout_ms != fresh.tcp_idle_timeout_ms, "tcp_idle_timeout_ms");
  note(running.tcp_max_connections != fresh.tcp_max_connections, "tcp_max_connections");
  note(running.tcp_max_connections_per_client != fresh.tcp_max_connections_per_client,
       "tcp_max_connections_per_client");
  note(running.tcp_max_queries != fresh.tcp_max_queries, "tcp_max_queries");
  note(running.reload_interval_ms != fresh.reload_interval_ms, "reload_interval_ms");
  note(running.stats_interval_s != fresh.stats_interval_s, "stats_interval_s");
  note(running.flatten != fresh.flatten, "[flatten]");
  note(running.notify != fresh.notify, "[notify]");
  note(running.journal != fresh.journal, "[journal]");
  note(running.identity != fresh.identity, "identity");
  note(running.hide_version != fresh.hide_version, "hide_version");
  note(running.user != fresh.user, "user");
  note(running.control_socket != fresh.control_socket, "[control] socket");
  note(running.drain_timeout_ms != fresh.drain_timeout_ms, "drain_timeout_ms");
  note(running.transfer != fresh.transfer, "[transfer]");
  note(running.metrics_listen != fresh.metrics_listen, "[metrics] listen");
  note(running.dnstap != fresh.dnstap, "[dnstap]");
  note(running.dnssec != fresh.dnssec, "[dnssec]");
  return plan;
}

Config apply_reload(const Config& running, const Result<Config>& fresh) {
  if (!fresh) {
    std::string problems = fresh.error();
    std::replace(problems.begin(), problems.end(), '\n', ';');
    log_error("reload failed, the running configuration stays in force: " + problems);
    return running;
  }
  const ReloadPlan plan = plan_reload(running, *fresh);
  Config now = running;
  if (plan.log_level_changed) {
    now.log_level = fresh->log_level;
    set_log_level(now.log_level);
  }
  if (plan.rrl_changed) {
    now.rrl = fresh->rrl;
    log_info("[rrl] settings applied");
  }
  std::string waiting;
  for (const auto& name : plan.need_restart) waiting += (waiting.empty() ? "" : ", ") + name;
  if (waiting.empty())
    log_info("configuration reloaded");
  else
    log_warning("configuration reloaded; changed settings that take effect after a restart: " +
                waiting);
  return now;
}

Result<std::vector<std::string>> reload_config(Config& running, const Result<Config>& fresh) {
  std::vector<std::string> waiting;
  if (fresh) waiting = plan_reload(running, *fresh).need_restart;
  running = apply_reload(running, fresh);
  if (!fresh) return Error{fresh.error()};
  return waiting;
}

}  // namespace apex::server
