// Specification of the pieces around response rate limiting: address prefixes, the slipped
// (truncated) response, the [rrl] configuration section and its reload.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "server/address_prefix.hpp"
#include "server/config.hpp"
#include "server/config_reload.hpp"
#include "server/slipped_response.hpp"

using namespace apex;
using namespace apex::server;

namespace {

sockaddr_storage v4(const char* text) {
  sockaddr_storage s{};
  auto& a = reinterpret_cast<sockaddr_in&>(s);
  a.sin_family = AF_INET;
  REQUIRE(inet_pton(AF_INET, text, &a.sin_addr) == 1);
  return s;
}

Result<Config> load(const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("apexd-rrl-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << text;
  Config config;
  auto ok = load_config_file(path, config);
  std::filesystem::remove(path);
  if (!ok) return Error{ok.error()};
  return config;
}

std::string error_of(const std::string& text) {
  auto c = load(text);
  return c ? "" : c.error();
}

}  // namespace

TEST_CASE("address prefixes: parsing, host bits, containment, text") {
  auto p = parse_address_prefix("192.0.2.77/24");
  REQUIRE(p.ok());
  CHECK(p->to_text() == "192.0.2.0/24");
  CHECK(p->contains(v4("192.0.2.1")));
  CHECK_FALSE(p->contains(v4("192.0.3.1")));
  CHECK(parse_address_prefix("2001:db8::1")->to_text() == "2001:db8::1/128");
  CHECK(parse_address_prefix("2001:db8:ff::/36")->to_text() == "2001:db8::/36");
  CHECK(parse_address_prefix("0.0.0.0/0")->contains(v4("203.0.113.9")));
  for (const char* bad : {"192.0.2.0/33", "2001:db8::/129", "example.com", "192.0.2.0/", "1/2/3"})
    CHECK_FALSE(parse_address_prefix(bad).ok());
  CHECK(prefix_of(v4("198.51.100.200"), 25).to_text() == "198.51.100.128/25");
}

TEST_CASE("a slipped response keeps header and question, with TC=1 and no records") {
  // ID, QR AA, RCODE 3, counts 1/0/1/1; www.example. A; an SOA-ish authority; an OPT.
  std::vector<std::uint8_t> m{0xab, 0xcd, 0x84, 0x03, 0,   1,   0,   0,   0,   1, 0, 1, 3, 'w', 'w',
                              'w',  7,    'e',  'x',  'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1};
  const std::size_t question_end = m.size();
  m.insert(m.end(), {0xc0, 0x10, 0, 6, 0, 1, 0, 0, 0, 60, 0, 2, 0xde, 0xad});
  m.insert(m.end(), {0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0});
  const std::size_t n = slip_response(m, m.size());
  CHECK(n == question_end);
  CHECK(m[0] == 0xab);
  CHECK(m[1] == 0xcd);
  CHECK(m[2] == (0x84 | 0x02));  // QR AA kept, TC set
  CHECK(m[3] == 0x03);
  CHECK(std::vector<std::uint8_t>(m.begin() + 4, m.begin() + 12) ==
        std::vector<std::uint8_t>{0, 1, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("a slipped response without a question (FORMERR) is the header alone") {
  std::vector<std::uint8_t> m{0x12, 0x34, 0x81, 0x01, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK(slip_response(m, m.size()) == 12);
  CHECK(m[2] == 0x83);
  std::vector<std::uint8_t> cut{0x12, 0x34, 0x81, 0x01, 0, 1, 0, 0, 0, 0, 0, 0, 5, 'a'};
  CHECK(slip_response(cut, cut.size()) == 12);  // a question that does not end: left out
  CHECK(cut[5] == 0);
}

TEST_CASE("[rrl] defaults: off, window 15, slip 2, /24 and /56, 100000 accounts") {
  auto c = load("");
  REQUIRE(c.ok());
  const RrlSettings& r = c->rrl;
  CHECK_FALSE(r.enabled());
  CHECK(r.window == 15);
  CHECK(r.slip == 2);
  CHECK(r.ipv4_prefix_length == 24);
  CHECK(r.ipv6_prefix_length == 56);
  CHECK(r.max_table_size == 100000);
  CHECK_FALSE(r.log_only);
  CHECK(r.exempt.empty());
}

TEST_CASE("[rrl] keys are read; the other classes' rates default to the responses rate") {
  auto c = load(R"([rrl]
responses_per_second = 20
window = 5
slip = 0
ipv4_prefix_length = 32
ipv6_prefix_length = 64
exempt = ["192.0.2.0/24", "2001:db8::/32"]
log_only = true
max_table_size = 5000
)");
  REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error()));
  const RrlSettings& r = c->rrl;
  CHECK(r.responses_per_second == 20);
  for (std::int64_t own :
       {r.referrals_per_second, r.nodata_per_second, r.nxdomains_per_second, r.errors_per_second})
    CHECK(r.rate_or_responses(own) == 20);
  CHECK(r.window == 5);
  CHECK(r.slip == 0);
  CHECK(r.ipv4_prefix_length == 32);
  CHECK(r.ipv6_prefix_length == 64);
  REQUIRE(r.exempt.size() == 2);
  CHECK(r.exempt[1].to_text() == "2001:db8::/32");
  CHECK(r.log_only);
  CHECK(r.max_table_size == 5000);
  auto own = load(
      "[rrl]\nresponses_per_second = 20\nnxdomains_per_second = 5\n"
      "errors_per_second = 0\n");
  REQUIRE(own.ok());
  CHECK(own->rrl.rate_or_responses(own->rrl.nxdomains_per_second) == 5);
  CHECK(own->rrl.rate_or_responses(own->rrl.errors_per_second) == 0);
  CHECK(own->rrl.referrals_per_second == -1);  // unset: the responses rate
  auto classes = load(
      "[rrl]\nresponses_per_second = 20\nreferrals_per_second = 7\n"
      "nodata_per_second = 0\n");
  REQUIRE(classes.ok());
  CHECK(classes->rrl.referrals_per_second == 7);
  CHECK(classes->rrl.nodata_per_second == 0);
  CHECK(error_of("[rrl]\nnodata_per_second = 100001\n")
            .find("[rrl] nodata_per_second must be an integer from 0 to 100000") !=
        std::string::npos);
  CHECK(error_of("[rrl]\nreferrals_per_second = -1\n").find("referrals_per_second") !=
        std::string::npos);
}

TEST_CASE("[rrl] values out of range are errors naming the key") {
  CHECK(error_of("[rrl]\nwindow = 0\n").find("[rrl] window must be an integer from 1 to 3600") !=
        std::string::npos);
  CHECK(error_of("[rrl]\nwindow = 3601\n").find("window") != std::string::npos);
  CHECK(error_of("[rrl]\nslip = 11\n").find("[rrl] slip must be an integer from 0 to 10") !=
        std::string::npos);
  CHECK(error_of("[rrl]\nresponses_per_second = -1\n").find("responses_per_second") !=
        std::string::npos);
  CHECK(error_of("[rrl]\nipv4_prefix_length = 33\n").find("ipv4_prefix_length") !=
        std::string::npos);
  CHECK(error_of("[rrl]\nipv6_prefix_length = 129\n").find("ipv6_prefix_length") !=
        std::string::npos);
  CHECK(error_of("[rrl]\nmax_table_size = 0\n").find("max_table_size") != std::string::npos);
  CHECK(error_of("[rrl]\nexempt = [\"10.0.0.0/40\"]\n").find("[rrl] exempt: '10.0.0.0/40'") !=
        std::string::npos);
  CHECK(error_of("[rrl]\nexempt = \"10.0.0.0/8\"\n").find("exempt must be an array") !=
        std::string::npos);
  CHECK(error_of("[rrl]\nlog_only = 1\n").find("log_only must be true or false") !=
        std::string::npos);
  CHECK(error_of("[rrl]\nrate = 5\n").find("[rrl] unknown setting 'rate'") != std::string::npos);
}

TEST_CASE("SIGHUP applies new [rrl] settings at once, without waiting for a restart") {
  Config running;
  Config fresh = running;
  fresh.rrl.responses_per_second = 50;
  fresh.rrl.slip = 1;
  const ReloadPlan plan = plan_reload(running, fresh);
  CHECK(plan.rrl_changed);
  CHECK(plan.need_restart.empty());
  const Config now = apply_reload(running, fresh);
  CHECK(now.rrl == fresh.rrl);
  const Config kept = apply_reload(now, Result<Config>(Error{"bad [rrl] slip"}));
  CHECK(kept.rrl == fresh.rrl);  // a file that does not load changes nothing
}
