// apexd settings: built-in defaults, then the TOML configuration file, then command-line flags.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "server/log.hpp"
#include "zones/result.hpp"

namespace apex::server {

struct Config {
  std::filesystem::path database = "apexdns.db";
  std::vector<boost::asio::ip::udp::endpoint> listen;  // UDP and TCP on each; default below
  unsigned threads = 0;                                // 0: one per core
  std::uint16_t max_udp_payload = 1232;                // RFC 6891 §6.2.5; DNS Flag Day 2020
  unsigned udp_batch = 32;                             // datagrams per recvmmsg/sendmmsg
  unsigned tcp_idle_timeout_ms = 10000;                // RFC 7766 §6.2.3
  unsigned tcp_max_connections = 1024;                 // across all workers
  unsigned tcp_max_queries = 0;                        // per connection; 0: unlimited
  unsigned reload_interval_ms = 200;                   // change log polling (DESIGN §6: ≤ 1 s)
  LogLevel log_level = LogLevel::kInfo;
};

// "ADDR:PORT", "[V6ADDR]:PORT", or an address alone (port 53).
Result<boost::asio::ip::udp::endpoint> parse_endpoint(std::string_view text);

// Reads a TOML file over the values already in config. Unknown keys are errors.
Status load_config_file(const std::filesystem::path& path, Config& config);

// Parses apexd's command line: [--db FILE] [--config FILE] [--listen ADDR:PORT]…
// [--threads N] [--log-level LEVEL] [--help]. Flags override the file. help is set for --help.
Result<Config> config_from_command_line(int argc, const char* const* argv, bool& help);

extern const char* const kApexdUsage;

}  // namespace apex::server
