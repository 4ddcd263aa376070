// Specification of apexd configuration: defaults, the TOML file, flags over the file, errors.
#include "server/config.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <vector>

using namespace apex::server;

namespace {

struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const std::string& text)
      : path(std::filesystem::temp_directory_path() /
             ("apexd-config-" + std::to_string(::getpid()) + "-" +
              std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".toml")) {
    std::ofstream(path) << text;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

apex::Result<Config> parse(std::vector<const char*> args) {
  args.insert(args.begin(), "apexd");
  bool help = false;
  return config_from_command_line(static_cast<int>(args.size()), args.data(), help);
}

}  // namespace

TEST_CASE("defaults: apexdns.db, 127.0.0.1:5353, one thread per core, 1232-octet UDP") {
  auto c = parse({});
  REQUIRE(c.ok());
  CHECK(c->database == "apexdns.db");
  REQUIRE(c->listen.size() == 1);
  CHECK(c->listen[0].address().to_string() == "127.0.0.1");
  CHECK(c->listen[0].port() == 5353);
  CHECK(c->threads >= 1);
  CHECK(c->max_udp_payload == 1232);
  CHECK(c->udp_receive_buffer == 4u << 20);
}

TEST_CASE("listen addresses: IPv4, bracketed IPv6, default port 53") {
  CHECK(parse_endpoint("192.0.2.1:8053")->port() == 8053);
  CHECK(parse_endpoint("[::1]:5300")->address().is_v6());
  CHECK(parse_endpoint("::1")->port() == 53);
  CHECK(parse_endpoint("127.0.0.1")->port() == 53);
  CHECK(parse_endpoint("localhost:53").error() ==
        "listen 'localhost:53': 'localhost' is not an IP address");
  CHECK(parse_endpoint("127.0.0.1:99999").error() ==
        "listen '127.0.0.1:99999' port: '99999' is not a number from 0 to 65535");
}

TEST_CASE("the TOML file sets values and flags override it") {
  TempFile file(R"(
[server]
database = "zones.db"
listen = ["127.0.0.2:5300", "[::1]:5300"]
threads = 3
tcp_idle_timeout_ms = 2500
log_level = "debug"
)");
  auto from_file = parse({"--config", file.path.c_str()});
  REQUIRE(from_file.ok());
  CHECK(from_file->database == "zones.db");
  CHECK(from_file->listen.size() == 2);
  CHECK(from_file->threads == 3);
  CHECK(from_file->tcp_idle_timeout_ms == 2500);
  CHECK(from_file->log_level == LogLevel::kDebug);
  auto flags = parse({"--config", file.path.c_str(), "--db", "other.db", "--threads", "1",
                      "--listen", "127.0.0.1:1053"});
  REQUIRE(flags.ok());
  CHECK(flags->database == "other.db");
  CHECK(flags->threads == 1);
  REQUIRE(flags->listen.size() == 1);
  CHECK(flags->listen[0].port() == 1053);
}

TEST_CASE("bad configuration is refused with file, line or key") {
  TempFile unknown("[server]\nthreadz = 2\n");
  CHECK(parse({"--config", unknown.path.c_str()}).error() ==
        unknown.path.string() + ":2: [server] unknown setting 'threadz'");
  TempFile range("[server]\nmax_udp_payload = 100\n");
  CHECK(parse({"--config", range.path.c_str()}).error() ==
        range.path.string() + ":2: [server] max_udp_payload must be an integer from 512 to 65535");
  TempFile listen("[server]\nlisten = \"127.0.0.1:53\"\n");
  CHECK(parse({"--config", listen.path.c_str()}).error() ==
        listen.path.string() + ":2: [server] listen must be an array of \"ADDR:PORT\" strings");
  TempFile listen_item("[server]\nlisten = [\"127.0.0.1:99999\"]\n");
  CHECK(parse({"--config", listen_item.path.c_str()})
            .error()
            .starts_with(listen_item.path.string() + ":2: [server] listen '127.0.0.1:99999'"));
  TempFile syntax("[server\n");
  CHECK(parse({"--config", syntax.path.c_str()}).error().rfind(syntax.path.string() + ":1:", 0) ==
        0);
  CHECK(parse({"--config", "/nonexistent/apexd.toml"}).ok() == false);
  CHECK(parse({"--bogus", "1"}).error() ==
        "unknown option '--bogus' ('apexd --help' lists the options)");
  CHECK(parse({"--threads", "many"}).error() == "--threads: 'many' is not a number from 0 to 256");
}

TEST_CASE("every problem of the file and the flags is reported at once, one per line") {
  TempFile file(
      "[server]\nthreadz = 2\nmax_udp_payload = 100\n[notify]\nrate = 0\n[nonsense]\nx = 1\n"
      "[flatten]\ntries = 0\n");
  const std::string p = file.path.string() + ":";
  auto c = parse({"--config", file.path.c_str(), "--threads", "many", "--log-level", "loud"});
  REQUIRE_FALSE(c.ok());
  CHECK(c.error() == p + "2: [server] unknown setting 'threadz'\n" + p +
                         "3: [server] max_udp_payload must be an integer from 512 to 65535\n" + p +
                         "5: [notify] rate must be an integer from 1 to 100000\n" + p +
                         "6: unknown section 'nonsense'\n" + p +
                         "9: [flatten] tries must be an integer from 1 to 10\n"
                         "--threads: 'many' is not a number from 0 to 256\n"
                         "--log-level must be one of debug, info, warning, error");
}

TEST_CASE("[flatten] settings and --resolver; apexctl's sections are left alone") {
  TempFile file(R"(
[flatten]
resolvers = ["127.0.0.1:5300", "::1"]
max_stale_s = 60
health_fail_open = false
[zone_defaults]
anything = "is apexctl's"
[import]
max_records = 10
)");
  auto c = parse({"--config", file.path.c_str()});
  REQUIRE(c.ok());
  REQUIRE(c->flatten.resolvers.size() == 2);
  CHECK(c->flatten.resolvers[1].port() == 53);
  CHECK(c->flatten.policy.max_stale == std::chrono::seconds(60));
  CHECK_FALSE(c->flatten.policy.health_fail_open);
  CHECK(c->flatten.policy.stale_ttl == std::chrono::seconds(30));
  auto flags = parse({"--config", file.path.c_str(), "--resolver", "127.0.0.9:53"});
  REQUIRE(flags->flatten.resolvers.size() == 1);
  CHECK(flags->flatten.resolvers[0].address().to_string() == "127.0.0.9");
  CHECK(parse({"--resolver", "nope"}).error() == "--resolver 'nope': 'nope' is not an IP address");
  TempFile bad("[flatten]\nstale_ttl_s = 0\n");
  CHECK(parse({"--config", bad.path.c_str()}).error() ==
        bad.path.string() + ":2: [flatten] stale_ttl_s must be an integer from 1 to 86400");
  TempFile unknown("[flattener]\n");
  CHECK(parse({"--config", unknown.path.c_str()}).error() ==
        unknown.path.string() + ":1: unknown section 'flattener'");
}

TEST_CASE("[transfer] max_concurrent: 32 by default, 1 to 10000") {
  CHECK(parse({}).value().transfer.max_concurrent == 32);
  TempFile one("[transfer]\nmax_concurrent = 1\n");
  CHECK(parse({"--config", one.path.c_str()}).value().transfer.max_concurrent == 1);
  TempFile zero("[transfer]\nmax_concurrent = 0\n");
  CHECK(parse({"--config", zero.path.c_str()}).error() ==
        zero.path.string() + ":2: [transfer] max_concurrent must be an integer from 1 to 10000");
  TempFile many("[transfer]\nmax_concurrent = 10001\n");
  CHECK(parse({"--config", many.path.c_str()}).error() ==
        many.path.string() + ":2: [transfer] max_concurrent must be an integer from 1 to 10000");
  TempFile unknown("[transfer]\ntransfers_out = 10\n");
  CHECK(parse({"--config", unknown.path.c_str()}).error() ==
        unknown.path.string() + ":2: [transfer] unknown setting 'transfers_out'");
}

TEST_CASE("[dnstap]: off by default, on with a socket, errors name the section and key") {
  CHECK_FALSE(parse({}).value().dnstap.enabled());
  TempFile on("[dnstap]\nsocket = \"/run/apexd/dnstap.sock\"\nqueue_size = 256\n");
  auto c = parse({"--config", on.path.c_str()});
  REQUIRE(c.ok());
  CHECK(c->dnstap.socket == "/run/apexd/dnstap.sock");
  CHECK(c->dnstap.queue_size == 256);
  TempFile odd("[dnstap]\nqueue_size = 100\n");
  CHECK(parse({"--config", odd.path.c_str()}).error() ==
        odd.path.string() + ":2: [dnstap] queue_size must be a power of two from 2 to 16384");
}

TEST_CASE("[server] identity and hide_version: not told and shown by default, checked") {
  const Config defaults = parse({}).value();
  CHECK(defaults.identity.empty());
  CHECK_FALSE(defaults.hide_version);
  TempFile set("[server]\nidentity = \"ns1.fra\"\nhide_version = true\n");
  const Config c = parse({"--config", set.path.c_str()}).value();
  CHECK(c.identity == "ns1.fra");
  CHECK(c.hide_version);
  TempFile too_long("[server]\nidentity = \"" + std::string(256, 'x') + "\"\n");
  CHECK(parse({"--config", too_long.path.c_str()}).error() ==
        too_long.path.string() + ":2: [server] identity must be a string of at most 255 octets");
  TempFile not_bool("[server]\nhide_version = \"yes\"\n");
  CHECK(parse({"--config", not_bool.path.c_str()}).error() ==
        not_bool.path.string() + ":2: [server] hide_version must be true or false");
}

TEST_CASE("[journal] bounds: 100 versions and 1 MiB per zone by default, 0 keeps none") {
  const Config defaults = parse({}).value();
  CHECK(defaults.journal.max_depth == 100);
  CHECK(defaults.journal.max_bytes == 1024 * 1024);
  TempFile none("[journal]\nmax_depth = 0\nmax_bytes = 4096\n");
  const Config c = parse({"--config", none.path.c_str()}).value();
  CHECK(c.journal.max_depth == 0);
  CHECK(c.journal.max_bytes == 4096);
  TempFile negative("[journal]\nmax_depth = -1\n");
  CHECK_FALSE(parse({"--config", negative.path.c_str()}).ok());
}

TEST_CASE("--user and [server] user: the user to run as after binding; the flag wins") {
  CHECK(parse({}).value().user.empty());
  TempFile file("[server]\nuser = \"apexdns\"\n");
  CHECK(parse({"--config", file.path.c_str()}).value().user == "apexdns");
  CHECK(parse({"--config", file.path.c_str(), "--user", "nobody"}).value().user == "nobody");
  CHECK(parse({"--user", ""}).error() == "--user must be a user name");
}

TEST_CASE("without --config, $APEXDNS_CONFIG names the file; --config wins") {
  TempFile env_file("[server]\nthreads = 3\n");
  TempFile flag_file("[server]\nthreads = 5\n");
  ::setenv("APEXDNS_CONFIG", env_file.path.c_str(), 1);
  CHECK(parse({}).value().threads == 3);
  CHECK(parse({"--config", flag_file.path.c_str()}).value().threads == 5);
  ::setenv("APEXDNS_CONFIG", "/nonexistent/apexdns.toml", 1);
  CHECK_FALSE(parse({}).ok());  // named but missing: an error, not the defaults
  ::unsetenv("APEXDNS_CONFIG");
}

TEST_CASE("[metrics] listen and --metrics: off by default, :PORT on the loopback, flag wins") {
  auto none = parse({});
  REQUIRE(none.ok());
  CHECK_FALSE(none->metrics_listen);
  TempFile file("[metrics]\nlisten = \"[::1]:9100\"\n");
  auto from_file = parse({"--config", file.path.c_str()});
  REQUIRE(from_file.ok());
  REQUIRE(from_file->metrics_listen);
  CHECK(from_file->metrics_listen->address().to_string() == "::1");
  CHECK(from_file->metrics_listen->port() == 9100);
  auto flag = parse({"--config", file.path.c_str(), "--metrics", ":9153"});
  REQUIRE(flag.ok());
  CHECK(flag->metrics_listen->address().to_string() == "127.0.0.1");
  CHECK(flag->metrics_listen->port() == 9153);
  CHECK_FALSE(parse({"--metrics", "localhost:9153"}).ok());
  TempFile unknown("[metrics]\nport = 9153\n");
  auto bad = parse({"--config", unknown.path.c_str()});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().find("[metrics] unknown setting 'port'") != std::string::npos);
}

TEST_CASE("--control and [control] socket: the control socket's path; the flag wins") {
  CHECK(parse({}).value().control_socket.empty());
  TempFile file("[control]\nsocket = \"/run/apexdns/ctl.sock\"\n");
  CHECK(parse({"--config", file.path.c_str()}).value().control_socket == "/run/apexdns/ctl.sock");
  CHECK(parse({"--config", file.path.c_str(), "--control", "/tmp/x.sock"}).value().control_socket ==
        "/tmp/x.sock");
  CHECK(parse({"--control", ""}).error() == "--control must be a path");
  TempFile empty("[control]\nsocket = \"\"\n");
  CHECK(
      parse({"--config", empty.path.c_str()}).error().ends_with("[control] socket must be a path"));
  TempFile unknown("[control]\nmode = \"0600\"\n");
  CHECK(parse({"--config", unknown.path.c_str()})
            .error()
            .ends_with("[control] unknown setting 'mode'"));
}

TEST_CASE("[dnssec]: signatures valid 14 days, made anew after 3; refresh at most half") {
  auto defaults = parse({});
  REQUIRE(defaults.ok());
  CHECK(defaults->dnssec.signature_validity_s == 14 * 86400);
  CHECK(defaults->dnssec.refresh_s == 3 * 86400);
  TempFile set("[dnssec]\nsignature_validity_s = 86400\nrefresh_s = 43200\n");
  auto config = parse({"--config", set.path.c_str()});
  REQUIRE_MESSAGE(config.ok(), config.error());
  CHECK(config->dnssec.signature_validity_s == 86400);
  CHECK(config->dnssec.refresh_s == 43200);
  // Refreshing later than half the validity would leave too little time to retry.
  TempFile late("[dnssec]\nsignature_validity_s = 86400\nrefresh_s = 43201\n");
  CHECK(parse({"--config", late.path.c_str()}).error() ==
        late.path.string() +
            ":1: [dnssec] refresh_s (43201) must be at most half of signature_validity_s (86400)");
  TempFile short_validity("[dnssec]\nsignature_validity_s = 60\n");
  CHECK(parse({"--config", short_validity.path.c_str()}).error() ==
        short_validity.path.string() +
            ":2: [dnssec] signature_validity_s must be an integer from 3600 to 31622400");
  TempFile unknown("[dnssec]\nnsec3_iterations = 10\n");
  CHECK(parse({"--config", unknown.path.c_str()}).error() ==
        unknown.path.string() + ":2: [dnssec] unknown setting 'nsec3_iterations'");
}

TEST_CASE("[dnssec] jitter_fraction: 0.1 by default, a number from 0 to 0.5") {
  auto defaults = parse({});
  REQUIRE(defaults.ok());
  CHECK(defaults->dnssec.jitter_fraction == 0.1);
  TempFile set("[dnssec]\njitter_fraction = 0.25\n");
  auto config = parse({"--config", set.path.c_str()});
  REQUIRE_MESSAGE(config.ok(), config.error());
  CHECK(config->dnssec.jitter_fraction == 0.25);
  TempFile none("[dnssec]\njitter_fraction = 0\n");
  config = parse({"--config", none.path.c_str()});
  REQUIRE_MESSAGE(config.ok(), config.error());
  CHECK(config->dnssec.jitter_fraction == 0.0);
  // Beyond half, a new signature could have less than refresh_s left.
  for (const char* bad : {"0.51", "-0.1", "\"0.2\""}) {
    CAPTURE(bad);
    TempFile wrong(std::string("[dnssec]\njitter_fraction = ") + bad + "\n");
    CHECK(parse({"--config", wrong.path.c_str()}).error() ==
          wrong.path.string() + ":2: [dnssec] jitter_fraction must be a number from 0 to 0.5");
  }
}

TEST_CASE("udp_receive_buffer: 0 keeps the system default; otherwise 64 KiB to 1 GiB") {
  TempFile zero("[server]\nudp_receive_buffer = 0\n");
  auto c = parse({"--config", zero.path.c_str()});
  REQUIRE(c.ok());
  CHECK(c->udp_receive_buffer == 0);
  TempFile big("[server]\nudp_receive_buffer = 16777216\n");
  c = parse({"--config", big.path.c_str()});
  REQUIRE(c.ok());
  CHECK(c->udp_receive_buffer == 16u << 20);
  for (const char* wrong : {"4096", "2147483648", "-1", "\"4M\""}) {
    TempFile file(std::string("[server]\nudp_receive_buffer = ") + wrong + "\n");
    c = parse({"--config", file.path.c_str()});
    REQUIRE_FALSE(c.ok());
    CHECK(c.error() == file.path.string() +
                           ":2: [server] udp_receive_buffer must be 0 (the system default) or "
                           "bytes from 65536 to 1073741824");
  }
}
