// Specification of SIGHUP reloads: the log level applies at once, everything else is named as
// waiting for a restart, and a failed read keeps the running configuration.
#include "server/config_reload.hpp"

#include <doctest/doctest.h>

using namespace apex::server;

TEST_CASE("an unchanged configuration changes nothing") {
  Config running;
  const ReloadPlan plan = plan_reload(running, running);
  CHECK_FALSE(plan.log_level_changed);
  CHECK(plan.need_restart.empty());
}

TEST_CASE("the log level applies at once; sockets and the flattener wait for a restart") {
  Config running;
  Config fresh = running;
  fresh.log_level = LogLevel::kWarning;
  fresh.udp_receive_buffer = 1 << 20;
  fresh.tcp_max_connections = 7;
  fresh.flatten.tries = 1;
  const ReloadPlan plan = plan_reload(running, fresh);
  CHECK(plan.log_level_changed);
  CHECK(plan.need_restart ==
        std::vector<std::string>{"udp_receive_buffer", "tcp_max_connections", "[flatten]"});

  const Config now = apply_reload(running, fresh);
  CHECK(now.log_level == LogLevel::kWarning);
  CHECK(now.tcp_max_connections == running.tcp_max_connections);
  CHECK(now.flatten == running.flatten);
  set_log_level(LogLevel::kInfo);
}

TEST_CASE("a changed [dnstap] section waits for a restart") {
  Config running;
  Config fresh = running;
  fresh.dnstap.socket = "/run/dnstap.sock";
  CHECK(plan_reload(running, fresh).need_restart == std::vector<std::string>{"[dnstap]"});
}

TEST_CASE("a configuration that cannot be read leaves the running one in force") {
  Config running;
  running.threads = 3;
  const Config now = apply_reload(running, apex::Error{"apexd.toml:1: broken"});
  CHECK(now == running);
}

TEST_CASE("a new metrics address waits for a restart: the listener is bound once, at start") {
  Config running;
  Config fresh = running;
  fresh.metrics_listen = parse_endpoint("127.0.0.1:9153").value();
  CHECK(plan_reload(running, fresh).need_restart == std::vector<std::string>{"[metrics] listen"});
  CHECK_FALSE(apply_reload(running, fresh).metrics_listen);
}

TEST_CASE("reload_config applies in place and tells what waits, or why it was refused") {
  Config running;
  Config fresh = running;
  fresh.log_level = LogLevel::kError;
  fresh.control_socket = "/run/apexd.sock";
  auto waiting = reload_config(running, fresh);
  REQUIRE(waiting);
  CHECK(*waiting == std::vector<std::string>{"[control] socket"});
  CHECK(running.log_level == LogLevel::kError);
  CHECK(running.control_socket.empty());
  set_log_level(LogLevel::kInfo);

  const Config before = running;
  auto refused = reload_config(running, apex::Error{"apexd.toml:2: broken"});
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == "apexd.toml:2: broken");
  CHECK(running == before);
}
