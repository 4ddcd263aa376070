// apexd: the apexdns authoritative server.
#include <iostream>

#include "server/config.hpp"
#include "server/server.hpp"

int main(int argc, char** argv) {
  bool help = false;
  auto config = apex::server::config_from_command_line(argc, argv, help);
  if (help) {
    std::cout << apex::server::kApexdUsage;
    return 0;
  }
  if (!config) {
    std::cerr << "apexd: " << config.error() << "\n" << apex::server::kApexdUsage;
    return 2;
  }
  return apex::server::run_server(*config);
}
