// apexd settings: built-in defaults, then the TOML configuration file, then command-line flags.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "flatten/flatten_policy.hpp"
#include "server/dnstap_settings.hpp"
#include "server/log.hpp"
#include "server/rrl_settings.hpp"
#include "storage/journal.hpp"
#include "zones/result.hpp"

namespace apex::server {

// [flatten]: the ALIAS flattener's upstream resolvers and client limits, and its policy
// (ARCHITECTURE.md §5). Every FlattenPolicy field has a key (flatten_keys.cpp); the defaults are
// FlattenPolicy's own.
struct FlattenSettings {
  std::vector<boost::asio::ip::udp::endpoint> resolvers;  // empty: /etc/resolv.conf's
  unsigned try_timeout_ms = 1500;                         // per upstream try
  unsigned tries = 3;                                     // tries per resolution, across resolvers
  unsigned max_in_flight = 64;                            // concurrent upstream queries
  unsigned max_queries_per_second = 500;
  flatten::FlattenPolicy policy;  // refresh, stale serving, retries, health checks, publication

  friend bool operator==(const FlattenSettings&, const FlattenSettings&) = default;
};

// [notify]: NOTIFY to secondaries (RFC 1996 §4.2: retried until acknowledged).
struct NotifySettings {
  unsigned retries = 5;                     // sends after the first, per change
  std::chrono::milliseconds timeout{1000};  // before the first retry; doubles each time
  unsigned rate = 1000;                     // NOTIFY messages per second, across all
  // Per secondary, NOTIFYs sent and not yet answered; more wait for a place (a slow
  // secondary is fed at the pace it answers).
  unsigned max_unacknowledged = 100;
  // A zone's serial goes up when its flattened ALIAS addresses change, at most this often.
  std::chrono::seconds alias_serial_interval{60};

  friend bool operator==(const NotifySettings&, const NotifySettings&) = default;
};

// [transfer]: zone transfers served (RFC 5936).
struct TransferLimits {
  // Transfers streaming at once, across all workers; beyond it a request gets SERVFAIL at
  // once, as BIND answers beyond transfers-out. A hidden primary's whole job is feeding its
  // fleet, and after a bulk change every secondary pulls at once (BIND secondaries two zones
  // each, transfers-per-ns; Knot and NSD more): 32 lets some 16 of them pull at full speed,
  // where BIND's default of 10 would send most of the fleet to its SOA retry interval. A
  // transfer costs apexd one 16 KiB buffer and a reference to the snapshot.
  unsigned max_concurrent = 32;

  friend bool operator==(const TransferLimits&, const TransferLimits&) = default;
};

// [dnssec]: signatures made when a signed zone's snapshot is built (ARCHITECTURE.md §4,
// DNSSEC signing). A stored signature serves again until less than refresh_s of its validity
// remains; the zone is then rebuilt, renewing what is due, so signatures never expire while
// apexd runs.
struct DnssecSettings {
  unsigned signature_validity_s = 14 * 86400;  // expiration: signing time + this - jitter
  unsigned refresh_s = 3 * 86400;              // renew when less than this validity remains
  // New signatures expire up to this fraction of the validity early (RFC 6781 §4.4.2.3).
  double jitter_fraction = 0.1;

  friend bool operator==(const DnssecSettings&, const DnssecSettings&) = default;
};

struct Config {
  std::filesystem::path database = "apexdns.db";
  std::vector<boost::asio::ip::udp::endpoint> listen;  // UDP and TCP on each; default below
  unsigned threads = 0;                                // 0: one per core
  std::uint16_t max_udp_payload = 1232;                // RFC 6891 §6.2.5; DNS Flag Day 2020
  unsigned udp_batch = 32;                             // datagrams per recvmmsg/sendmmsg
  // Asked of the kernel for each UDP socket (bytes; 0: its default). Linux's default, 212,992
  // bytes, holds about 270 small queries (each datagram is charged its whole buffer): a burst
  // arriving while a worker is off its core is dropped beyond that. 4 MiB absorbs several
  // milliseconds at full rate.
  std::size_t udp_receive_buffer = 4 << 20;
  unsigned tcp_idle_timeout_ms = 10000;          // RFC 7766 §6.2.3
  unsigned tcp_max_connections = 1024;           // across all workers
  unsigned tcp_max_connections_per_client = 64;  // per IPv4 address / IPv6 /64
  unsigned tcp_max_queries = 0;                  // per connection; 0: unlimited
  unsigned drain_timeout_ms = 5000;   // SIGTERM: how long busy TCP connections may finish
  unsigned reload_interval_ms = 100;  // polling when no write woke live apply
  unsigned stats_interval_s = 300;    // counters logged this often, 0: never
  LogLevel log_level = LogLevel::kInfo;
  // Told in NSID and CH TXT id.server / hostname.bind (RFC 5001, RFC 4892); empty: not told.
  std::string identity;
  bool hide_version = false;  // version.bind / version.server REFUSED
  std::string user;           // after binding, run as this user (--user); empty: stay
  // [control] socket (--control): apexctl's way in; empty: the database path + ".sock".
  std::filesystem::path control_socket;
  FlattenSettings flatten;
  NotifySettings notify;
  storage::JournalLimits journal;  // [journal]: bounds the history apexd's own changes keep
  TransferLimits transfer;
  // [metrics] listen (--metrics): the HTTP endpoint of /metrics, /healthz, /readyz; none: off.
  std::optional<boost::asio::ip::udp::endpoint> metrics_listen;
  RrlSettings rrl;  // [rrl]: response rate limiting; applied on SIGHUP
  DnstapSettings dnstap;
  DnssecSettings dnssec;

  friend bool operator==(const Config&, const Config&) = default;
};

// "ADDR:PORT", "[V6ADDR]:PORT", or an address alone (port 53); errors start with what.
Result<boost::asio::ip::udp::endpoint> parse_endpoint(std::string_view text,
                                                      std::string_view what = "listen");

// Reads a TOML file over the values already in config. Unknown keys are errors.
Status load_config_file(const std::filesystem::path& path, Config& config);

// Parses apexd's command line: [--db FILE] [--config FILE] [--listen ADDR:PORT]…
// [--threads N] [--resolver ADDR[:PORT]]… [--log-level LEVEL] [--metrics ADDR:PORT] [--help]. Flags
// override the file. help is set for --help.
Result<Config> config_from_command_line(int argc, const char* const* argv, bool& help);

extern const char* const kApexdUsage;

}  // namespace apex::server
