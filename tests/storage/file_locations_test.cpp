// Specification of where apexd and apexctl look for the configuration file and the control
// socket.
#include "storage/file_locations.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace apex::storage;

TEST_CASE("the control socket is the configured path, else the database's with .sock added") {
  CHECK(control_socket_path("", "/var/lib/apexdns/apexdns.db") ==
        "/var/lib/apexdns/apexdns.db.sock");
  CHECK(control_socket_path("/run/apexd.sock", "apexdns.db") == "/run/apexd.sock");
}

TEST_CASE("the configuration file: --config, else $APEXDNS_CONFIG, else the system file") {
  CHECK(config_file("given.toml", "variable.toml") == "given.toml");
  CHECK(config_file(std::nullopt, "variable.toml") == "variable.toml");
  // An empty variable counts as unset.
  const bool system = std::filesystem::exists(kSystemConfigFile);
  const auto fallback = config_file(std::nullopt, "");
  CHECK(fallback == config_file(std::nullopt, std::nullopt));
  if (system)
    CHECK(fallback == std::string(kSystemConfigFile));
  else
    CHECK_FALSE(fallback.has_value());
}
