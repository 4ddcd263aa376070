// Configuration loading: defaults < TOML file (toml++) < command-line flags.
#include "server/config.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include <toml++/toml.h>
#include <boost/asio/ip/address.hpp>

#include "server/dnstap_keys.hpp"
#include "server/flatten_keys.hpp"
#include "server/toml_values.hpp"
#include "storage/file_locations.hpp"

namespace apex::server {
namespace {

using boost::asio::ip::udp;

const char* const kDefaultListen = "127.0.0.1:5353";

Result<unsigned> parse_unsigned(std::string_view text, std::string_view what, unsigned max) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v > max)
    return Error{std::string(what) + ": '" + std::string(text) + "' is not a number from 0 to " +
                 std::to_string(max)};
  return v;
}

// The problems as one error, one per line; Ok when there are none.
Status joined(const std::vector<std::string>& problems) {
  if (problems.empty()) return Ok{};
  std::string text;
  for (const auto& p : problems) text += (text.empty() ? "" : "\n") + p;
  return Error{text};
}

Status set_listen(const toml::node& node, Config& config) {
  auto list = toml_endpoints(node, "listen", "ADDR:PORT", "listen");
  if (!list) return Error{list.error()};
  config.listen = std::move(list).value();
  return Ok{};
}

// 0 (the kernel's default) or 64 KiB to 1 GiB: less would hold fewer queries than the default.
Status set_receive_buffer(const toml::node& node, Config& config) {
  constexpr std::int64_t kLeast = 64 << 10, kMost = std::int64_t{1} << 30;
  auto v = node.value<std::int64_t>();
  if (!v || (*v != 0 && (*v < kLeast || *v > kMost)))
    return Error{"udp_receive_buffer must be 0 (the system default) or bytes from " +
                 std::to_string(kLeast) + " to " + std::to_string(kMost)};
  config.udp_receive_buffer = static_cast<std::size_t>(*v);
  return Ok{};
}

Status apply_server_key(std::string_view key, const toml::node& node, Config& config) {
  if (key == "database") {
    auto v = node.value<std::string>();
    if (!v) return Error{"database must be a string"};
    config.database = *v;
    return Ok{};
  }
  if (key == "listen") return set_listen(node, config);
  if (key == "threads") return set_integer(node, key, 0, 256, config.threads);
  if (key == "max_udp_payload") return set_integer(node, key, 512, 65535, config.max_udp_payload);
  if (key == "udp_batch") return set_integer(node, key, 1, 1024, config.udp_batch);
  if (key == "udp_receive_buffer") return set_receive_buffer(node, config);
  if (key == "tcp_idle_timeout_ms")
    return set_integer(node, key, 100, 3600000, config.tcp_idle_timeout_ms);
  if (key == "tcp_max_connections")
    return set_integer(node, key, 1, 1000000, config.tcp_max_connections);
  if (key == "tcp_max_connections_per_client")
    return set_integer(node, key, 1, 1000000, config.tcp_max_connections_per_client);
  if (key == "reload_interval_ms")
    return set_integer(node, key, 1, 1000, config.reload_interval_ms);
  if (key == "stats_interval_s") return set_integer(node, key, 0, 86400, config.stats_interval_s);
  if (key == "tcp_max_queries") return set_integer(node, key, 0, 1000000, config.tcp_max_queries);
  if (key == "drain_timeout_ms") return set_integer(node, key, 0, 600000, config.drain_timeout_ms);
  if (key == "identity") {
    auto v = node.value<std::string>();
    if (!v || v->size() > 255) return Error{"identity must be a string of at most 255 octets"};
    config.identity = *v;
    return Ok{};
  }
  if (key == "user") {
    auto v = node.value<std::string>();
    if (!v || v->empty()) return Error{"user must be a user name"};
    config.user = *v;
    return Ok{};
  }
  if (key == "hide_version") {
    auto v = node.value<bool>();
    if (!v) return Error{"hide_version must be true or false"};
    config.hide_version = *v;
    return Ok{};
  }
  if (key == "log_level") {
    auto v = node.value<std::string>();
    if (!v || !parse_log_level(*v, config.log_level))
      return Error{"log_level must be one of debug, info, warning, error"};
    return Ok{};
  }
  return Error{"unknown setting '" + std::string(key) + "'"};
}

Status apply_notify_key(std::string_view key, const toml::node& node, NotifySettings& notify) {
  if (key == "retries") return set_integer(node, key, 0, 20, notify.retries);
  if (key == "rate") return set_integer(node, key, 1, 100000, notify.rate);
  if (key == "max_unacknowledged")
    return set_integer(node, key, 1, 100000, notify.max_unacknowledged);
  if (key == "alias_serial_interval_s") {
    unsigned s = 0;
    if (auto ok = set_integer(node, key, 0, 86400, s); !ok) return ok;
    notify.alias_serial_interval = std::chrono::seconds(s);
    return Ok{};
  }
  if (key == "timeout_ms") {
    unsigned ms = 0;
    if (auto ok = set_integer(node, key, 100, 60000, ms); !ok) return ok;
    notify.timeout = std::chrono::milliseconds(ms);
    return Ok{};
  }
  return Error{"unknown setting '" + std::string(key) + "'"};
}

// The IXFR journal's bounds (apexctl reads the same section for the changes it makes).
Status apply_journal_key(std::string_view key, const toml::node& node,
                         storage::JournalLimits& journal) {
  constexpr std::int64_t kMax = std::int64_t{1} << 40;
  if (key == "max_depth") return set_integer(node, key, 0, 1000000, journal.max_depth);
  if (key == "max_bytes") return set_integer(node, key, 0, kMax, journal.max_bytes);
  return Error{"unknown setting '" + std::string(key) + "'"};
}

Status apply_transfer_key(std::string_view key, const toml::node& node, TransferLimits& limits) {
  if (key == "max_concurrent") return set_integer(node, key, 1, 10000, limits.max_concurrent);
  return Error{"unknown setting '" + std::string(key) + "'"};
}

// Refresh must come before expiry, with room for a load that fails and is retried.
Status apply_dnssec_key(std::string_view key, const toml::node& node, DnssecSettings& dnssec) {
  if (key == "signature_validity_s")
    return set_integer(node, key, 3600, 366 * 86400, dnssec.signature_validity_s);
  if (key == "refresh_s") return set_integer(node, key, 1, 365 * 86400, dnssec.refresh_s);
  if (key == "jitter_fraction") {
    // Up to half the validity: with refresh_s at most the other half, a new signature has
    // always more than refresh_s of validity left.
    auto v = node.value<double>();
    if (!(node.is_floating_point() || node.is_integer()) || !v || *v < 0.0 || *v > 0.5)
      return Error{"jitter_fraction must be a number from 0 to 0.5"};
    dnssec.jitter_fraction = *v;
    return Ok{};
  }
  return Error{"unknown setting '" + std::string(key) + "'"};
}

Status check_dnssec_settings(const DnssecSettings& dnssec) {
  if (dnssec.refresh_s * 2 > dnssec.signature_validity_s)
    return Error{"refresh_s (" + std::to_string(dnssec.refresh_s) +
                 ") must be at most half of signature_validity_s (" +
                 std::to_string(dnssec.signature_validity_s) + ")"};
  return Ok{};
}

// "ADDR:PORT" of the metrics endpoint; ":PORT" means the loopback address, so an endpoint
// that tells about the server is not offered to the network by accident.
Result<udp::endpoint> parse_metrics_endpoint(std::string_view text, std::string_view what) {
  if (!text.empty() && text.front() == ':')
    return parse_endpoint("127.0.0.1" + std::string(text), what);
  return parse_endpoint(text, what);
}

Status apply_metrics_key(std::string_view key, const toml::node& node, Config& config) {
  if (key != "listen") return Error{"unknown setting '" + std::string(key) + "'"};
  auto text = node.value<std::string>();
  if (!text) return Error{"listen must be a string \"ADDR:PORT\""};
  auto ep = parse_metrics_endpoint(*text, "listen");
  if (!ep) return Error{ep.error()};
  config.metrics_listen = *ep;
  return Ok{};
}

Status apply_control_key(std::string_view key, const toml::node& node, Config& config) {
  if (key == "socket") {
    auto v = node.value<std::string>();
    if (!v || v->empty()) return Error{"socket must be a path"};
    config.control_socket = *v;
    return Ok{};
  }
  return Error{"unknown setting '" + std::string(key) + "'"};
}

// Sections apexctl reads from the same file; apexd leaves them alone.
bool is_admin_section(std::string_view section) {
  return section == "zone_defaults" || section == "serial" || section == "import";
}

// A problem of the configuration file at a line of it.
struct FileProblem {
  std::uint32_t line = 0;
  std::string text;
};

std::uint32_t line_of(const toml::node& node) {
  return node.source().begin.line;
}

// Collects every problem of the file, so an operator fixes them in one go.
void apply_table(const toml::table& root, Config& config, std::vector<FileProblem>& problems) {
  std::uint32_t flatten_line = 0;
  std::uint32_t dnssec_line = 0;
  for (const auto& [section, node] : root) {
    std::string_view name = section.str();
    if (is_admin_section(name)) continue;
    if ((name != "server" && name != "flatten" && name != "notify" && name != "journal" &&
         name != "transfer" && name != "metrics" && name != "rrl" && name != "dnstap" &&
         name != "control" && name != "dnssec") ||
        !node.is_table()) {
      problems.push_back({line_of(node), "unknown section '" + std::string(name) + "'"});
      continue;
    }
    if (name == "flatten") flatten_line = line_of(node);
    if (name == "dnssec") dnssec_line = line_of(node);
    for (const auto& [key, value] : *node.as_table()) {
      auto ok = name == "server"     ? apply_server_key(key.str(), value, config)
                : name == "notify"   ? apply_notify_key(key.str(), value, config.notify)
                : name == "journal"  ? apply_journal_key(key.str(), value, config.journal)
                : name == "transfer" ? apply_transfer_key(key.str(), value, config.transfer)
                : name == "metrics"  ? apply_metrics_key(key.str(), value, config)
                : name == "rrl"      ? apply_rrl_key(key.str(), value, config.rrl)
                : name == "dnstap"   ? apply_dnstap_key(key.str(), value, config.dnstap)
                : name == "control"  ? apply_control_key(key.str(), value, config)
                : name == "dnssec"   ? apply_dnssec_key(key.str(), value, config.dnssec)
                                     : apply_flatten_key(key.str(), value, config.flatten);
      if (!ok) problems.push_back({line_of(value), "[" + std::string(name) + "] " + ok.error()});
    }
  }
  if (auto ok = check_flatten_settings(config.flatten); !ok)
    problems.push_back({flatten_line, "[flatten] " + ok.error()});
  if (auto ok = check_dnssec_settings(config.dnssec); !ok)
    problems.push_back({dnssec_line, "[dnssec] " + ok.error()});
}

}  // namespace

const char* const kApexdUsage =
    "usage: apexd [--db FILE] [--config FILE] [--listen ADDR:PORT]... [--threads N]\n"
    "             [--resolver ADDR[:PORT]]... [--log-level debug|info|warning|error]\n"
    "             [--user NAME] [--metrics ADDR:PORT] [--control PATH] | --version\n"
    "Serves the zones of an apexdns SQLite database over UDP and TCP.\n"
    "  --db FILE          database (default: apexdns.db in the working directory)\n"
    "  --config FILE      TOML configuration file; flags override it (default:\n"
    "                     $APEXDNS_CONFIG, else /etc/apexdns/apexdns.toml if it exists)\n"
    "  --listen ADDR:PORT address to serve on, repeatable ([::1]:53 for IPv6);\n"
    "                     default 127.0.0.1:5353\n"
    "  --threads N        worker threads (default: one per core)\n"
    "  --resolver ADDR[:PORT]\n"
    "                     recursive resolver for ALIAS targets, repeatable\n"
    "                     (default: the nameservers in /etc/resolv.conf)\n"
    "  --log-level LEVEL  debug, info, warning or error (default: info)\n"
    "  --user NAME        after binding, run as this user with no capabilities\n"
    "  --metrics ADDR:PORT\n"
    "                     serve /metrics, /healthz and /readyz over HTTP here\n"
    "                     (:PORT means 127.0.0.1; default: not served)\n"
    "  --control PATH     control socket for apexctl status, stats, reload...\n"
    "                     (default: the database path + .sock)\n"
    "  --version          print the version and exit\n";

Result<udp::endpoint> parse_endpoint(std::string_view text, std::string_view what) {
  const std::string where = std::string(what) + " '" + std::string(text) + "'";
  std::string_view host = text, port = "53";
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return Error{where + ": missing ']'"};
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return Error{where + ": expected ':' after ']'"};
      port = text.substr(close + 2);
    }
  } else if (auto colon = text.rfind(':');
             colon != std::string_view::npos && text.find(':') == colon) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return Error{where + ": '" + std::string(host) + "' is not an IP address"};
  auto p = parse_unsigned(port, where + " port", 65535);
  if (!p) return Error{p.error()};
  return udp::endpoint(address, static_cast<unsigned short>(*p));
}

Status load_config_file(const std::filesystem::path& path, Config& config) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Error{path.string() + ":" + std::to_string(where.line) + ": " +
                 std::string(e.description())};
  }
  std::vector<FileProblem> problems;
  apply_table(root, config, problems);
  // toml++ iterates keys sorted; the operator reads the file top to bottom.
  std::stable_sort(problems.begin(), problems.end(),
                   [](const FileProblem& a, const FileProblem& b) { return a.line < b.line; });
  std::vector<std::string> lines;
  for (const auto& p : problems)
    lines.push_back(path.string() + ":" + std::to_string(p.line) + ": " + p.text);
  return joined(lines);
}

namespace {

const char* const kSeeHelp = " ('apexd --help' lists the options)";

struct Flags {
  std::optional<std::string> db, config, threads, log_level, user, metrics, control;
  std::vector<std::string> listen, resolvers;
};

Result<Flags> read_flags(int argc, const char* const* argv, bool& help) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help = true;
      return f;
    }
    if (i + 1 >= argc)
      return Error{"unknown or incomplete option '" + std::string(arg) + "'" + kSeeHelp};
    std::string value = argv[++i];
    if (arg == "--db")
      f.db = value;
    else if (arg == "--config")
      f.config = value;
    else if (arg == "--listen")
      f.listen.push_back(value);
    else if (arg == "--resolver")
      f.resolvers.push_back(value);
    else if (arg == "--threads")
      f.threads = value;
    else if (arg == "--log-level")
      f.log_level = value;
    else if (arg == "--user")
      f.user = value;
    else if (arg == "--metrics")
      f.metrics = value;
    else if (arg == "--control")
      f.control = value;
    else
      return Error{"unknown option '" + std::string(arg) + "'" + kSeeHelp};
  }
  return f;
}

Status apply_flags(const Flags& f, Config& c) {
  std::vector<std::string> problems;
  if (f.db) c.database = *f.db;
  if (!f.listen.empty()) c.listen.clear();
  for (const auto& text : f.listen) {
    if (auto ep = parse_endpoint(text))
      c.listen.push_back(*ep);
    else
      problems.push_back(ep.error());
  }
  if (!f.resolvers.empty()) c.flatten.resolvers.clear();
  for (const auto& text : f.resolvers) {
    if (auto ep = parse_endpoint(text, "--resolver"))
      c.flatten.resolvers.push_back(*ep);
    else
      problems.push_back(ep.error());
  }
  if (f.threads) {
    if (auto n = parse_unsigned(*f.threads, "--threads", 256))
      c.threads = *n;
    else
      problems.push_back(n.error());
  }
  if (f.log_level && !parse_log_level(*f.log_level, c.log_level))
    problems.push_back("--log-level must be one of debug, info, warning, error");
  if (f.user) {
    if (f.user->empty())
      problems.push_back("--user must be a user name");
    else
      c.user = *f.user;
  }
  if (f.metrics) {
    if (auto ep = parse_metrics_endpoint(*f.metrics, "--metrics"))
      c.metrics_listen = *ep;
    else
      problems.push_back(ep.error());
  }
  if (f.control) {
    if (f.control->empty())
      problems.push_back("--control must be a path");
    else
      c.control_socket = *f.control;
  }
  return joined(problems);
}

}  // namespace

Result<Config> config_from_command_line(int argc, const char* const* argv, bool& help) {
  help = false;
  auto flags = read_flags(argc, argv, help);
  if (!flags) return Error{flags.error()};
  Config config;
  std::vector<std::string> problems;
  const char* variable = std::getenv("APEXDNS_CONFIG");
  if (auto path = storage::config_file(
          flags->config, variable ? std::optional<std::string>(variable) : std::nullopt))
    if (auto ok = load_config_file(*path, config); !ok) problems.push_back(ok.error());
  if (auto ok = apply_flags(*flags, config); !ok) problems.push_back(ok.error());
  if (auto all = joined(problems); !all) return Error{all.error()};
  if (config.listen.empty()) config.listen.push_back(*parse_endpoint(kDefaultListen));
  if (config.threads == 0) config.threads = std::max(1u, std::thread::hardware_concurrency());
  return config;
}

}  // namespace apex::server
