// apexd: the apexdns authoritative server.
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "server/config.hpp"
#include "server/process_signals.hpp"
#include "server/server.hpp"

int main(int argc, char** argv) {
  apex::server::ignore_stray_signals();
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::cout << "apexd (apexdns) " APEXDNS_VERSION "\n";
    return 0;
  }
  bool help = false;
  auto config = apex::server::config_from_command_line(argc, argv, help);
  if (help) {
    std::cout << apex::server::kApexdUsage;
    return 0;
  }
  if (!config) {
    // Every problem on its own line; the usage text would bury them.
    std::istringstream problems(config.error());
    for (std::string line; std::getline(problems, line);) std::cerr << "apexd: " << line << "\n";
    return 2;
  }
  auto reread = [argc, argv]() {
    bool ignored = false;
    return apex::server::config_from_command_line(argc, argv, ignored);
  };
  return apex::server::run_server(std::move(*config), reread);
}
