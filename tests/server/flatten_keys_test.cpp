// Specification of apexd's [flatten] section: every FlattenPolicy field and upstream option has
// a key, the defaults are FlattenPolicy's, and every value out of range is refused with a
// message naming the key and its range.
#include "server/flatten_keys.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

using namespace apex;
using namespace apex::server;
using namespace std::chrono_literals;

namespace {

// Loads "[flatten]\n" + body over the defaults; the error without the file name and line.
Result<FlattenSettings> flatten_section(const std::string& body) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("apexd-flatten-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[flatten]\n" << body << "\n";
  Config config;
  auto loaded = load_config_file(path, config);
  std::filesystem::remove(path);
  // "PATH:LINE: problem"
  if (!loaded) return Error{loaded.error().substr(loaded.error().find(": ") + 2)};
  return config.flatten;
}

struct Range {
  const char* key;
  long long lo, hi;
};

constexpr Range kIntegerKeys[] = {
    {"try_timeout_ms", 10, 60000},
    {"tries", 1, 10},
    {"max_in_flight", 1, 10000},
    {"max_queries_per_second", 0, 1000000},
    {"refresh_floor_s", 1, 86400},
    {"refresh_ceiling_s", 1, 604800},
    {"refresh_margin_ms", 1000, 60000},
    {"refresh_jitter_max_ms", 0, 60000},
    {"stale_ttl_s", 1, 86400},
    {"max_stale_s", 0, 31536000},
    {"negative_grace_s", 0, 86400},
    {"retry_initial_s", 1, 86400},
    {"retry_max_s", 1, 86400},
    {"max_chain_depth", 1, 32},
    {"health_interval_s", 1, 86400},
    {"health_timeout_ms", 10, 60000},
    {"max_concurrent_probes", 1, 10000},
    {"publish_interval_ms", 1, 10000},
    {"clock_check_interval_ms", 10, 60000},
};

// Settings that leave room for any value of key within its range: the floor and the first
// retry at their lowest, the ceiling and the retry maximum at their highest (but key itself).
std::string with_room(const std::string& key, const std::string& line) {
  std::string body = line + "\n";
  for (const char* other : {"refresh_floor_s = 1", "refresh_ceiling_s = 604800",
                            "retry_initial_s = 1", "retry_max_s = 86400"})
    if (!std::string(other).starts_with(key + " ")) body += std::string(other) + "\n";
  return body;
}

}  // namespace

TEST_CASE("the defaults are FlattenPolicy's, with or without an empty [flatten]") {
  CHECK(Config{}.flatten.policy == flatten::FlattenPolicy{});
  auto empty = flatten_section("");
  REQUIRE(empty.ok());
  CHECK(empty->policy == flatten::FlattenPolicy{});
  CHECK(empty->try_timeout_ms == 1500);
  CHECK(empty->tries == 3);
  CHECK(empty->max_in_flight == 64);
  CHECK(empty->max_queries_per_second == 500);
}

TEST_CASE("every key sets its field, in its unit") {
  auto f = flatten_section(R"(
try_timeout_ms = 300
tries = 2
max_in_flight = 8
max_queries_per_second = 0
refresh_floor_s = 2
refresh_ceiling_s = 600
refresh_margin_ms = 1500
refresh_jitter_max_ms = 250
jitter_fraction = 0.25
stale_ttl_s = 7
max_stale_s = 6
negative_grace_s = 4
retry_initial_s = 2
retry_max_s = 8
max_chain_depth = 4
health_interval_s = 3
health_timeout_ms = 300
max_concurrent_probes = 5
health_fail_open = false
publish_interval_ms = 50
clock_check_interval_ms = 200
)");
  REQUIRE_MESSAGE(f.ok(), f.error());
  CHECK(f->try_timeout_ms == 300);
  CHECK(f->tries == 2);
  CHECK(f->max_in_flight == 8);
  CHECK(f->max_queries_per_second == 0);
  flatten::FlattenPolicy want;
  want.refresh_floor = 2s;
  want.refresh_ceiling = 600s;
  want.refresh_margin = 1500ms;
  want.refresh_jitter_max = 250ms;
  want.jitter_fraction = 0.25;
  want.stale_ttl = 7s;
  want.max_stale = 6s;
  want.negative_grace = 4s;
  want.retry_initial = 2s;
  want.retry_max = 8s;
  want.max_chain_depth = 4;
  want.health_interval = 3s;
  want.health_timeout = 300ms;
  want.max_concurrent_probes = 5;
  want.health_fail_open = false;
  want.publish_interval = 50ms;
  want.clock_check_interval = 200ms;
  CHECK(f->policy == want);
}

TEST_CASE("integers out of range or of the wrong type are refused, naming key and range") {
  for (const Range& r : kIntegerKeys) {
    const std::string key = r.key;
    CAPTURE(key);
    const std::string range =
        key + " must be an integer from " + std::to_string(r.lo) + " to " + std::to_string(r.hi);
    CHECK(flatten_section(with_room(key, key + " = " + std::to_string(r.lo))).ok());
    CHECK(flatten_section(with_room(key, key + " = " + std::to_string(r.hi))).ok());
    CHECK(flatten_section(std::string(r.key) + " = " + std::to_string(r.lo - 1)).error() ==
          "[flatten] " + range);
    CHECK(flatten_section(std::string(r.key) + " = " + std::to_string(r.hi + 1)).error() ==
          "[flatten] " + range);
    CHECK(flatten_section(std::string(r.key) + " = \"5\"").error() == "[flatten] " + range);
    CHECK(flatten_section(std::string(r.key) + " = 2.5").error() == "[flatten] " + range);
  }
}

TEST_CASE("a refresh margin below 1 s is refused: resolvers count TTLs in whole seconds") {
  CHECK(flatten_section("refresh_margin_ms = 999").error() ==
        "[flatten] refresh_margin_ms must be an integer from 1000 to 60000");
}

TEST_CASE("jitter_fraction is a number from 0 to 0.5") {
  CHECK(flatten_section("jitter_fraction = 0")->policy.jitter_fraction == 0.0);
  CHECK(flatten_section("jitter_fraction = 0.5")->policy.jitter_fraction == 0.5);
  for (const char* bad : {"0.51", "-0.1", "1", "\"0.1\"", "nan", "true"})
    CHECK(flatten_section(std::string("jitter_fraction = ") + bad).error() ==
          "[flatten] jitter_fraction must be a number from 0 to 0.5");
}

TEST_CASE("health_fail_open is a boolean; resolvers an array of addresses") {
  CHECK(flatten_section("health_fail_open = 1").error() ==
        "[flatten] health_fail_open must be true or false");
  CHECK(flatten_section("resolvers = \"127.0.0.1\"").error() ==
        "[flatten] resolvers must be an array of \"ADDR[:PORT]\" strings");
  CHECK(flatten_section("resolvers = [\"nowhere\"]").error() ==
        "[flatten] resolver 'nowhere': 'nowhere' is not an IP address");
}

TEST_CASE("a ceiling below the floor and a retry maximum below the first retry are refused") {
  CHECK(flatten_section("refresh_floor_s = 60\nrefresh_ceiling_s = 30").error() ==
        "[flatten] refresh_ceiling_s (30) must not be below refresh_floor_s (60)");
  CHECK(flatten_section("refresh_ceiling_s = 10").error() ==
        "[flatten] refresh_ceiling_s (10) must not be below refresh_floor_s (30)");
  CHECK(flatten_section("retry_initial_s = 600").error() ==
        "[flatten] retry_max_s (300) must not be below retry_initial_s (600)");
  CHECK(flatten_section("refresh_floor_s = 30\nrefresh_ceiling_s = 30").ok());
}

TEST_CASE("unknown keys are refused") {
  CHECK(flatten_section("refresh_fraction = 0.9").error() ==
        "[flatten] unknown setting 'refresh_fraction'");
}
