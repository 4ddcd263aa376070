// Specification of the Prometheus text exposition of apexd's metrics: each family announced
// once with HELP and TYPE before its samples, counters ending _total, histograms cumulative.
#include "server/metrics_exposition.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace apex::server;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The lines of one family: its HELP and TYPE lines and the samples that follow them.
std::string family(const std::string& text, const std::string& name) {
  const std::string help = "# HELP apexd_" + name + " ";
  auto at = text.find(help);
  if (at == std::string::npos) return "";
  auto end = text.find("# HELP", at + help.size());
  return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

MetricsSnapshot sample_snapshot() {
  MetricsSnapshot s = empty_metrics_snapshot("1.2.3-\"dev\"");
  s.queries.queries[0][0] = 7;  // UDP IPv4
  s.queries.queries[1][1] = 3;  // TCP IPv6
  s.queries.responses[static_cast<std::size_t>(RcodeClass::kNxDomain)] = 2;
  s.queries.by_type[static_cast<std::size_t>(QtypeClass::kA)] = 10;
  s.queries.size.counts = {1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 1};
  s.queries.size.sum = 70000;
  s.zones = 12;
  s.last_reload = 1767225600.5;
  s.rrl_slipped = 5;
  s.dnssec_signatures = 40000;
  return s;
}

}  // namespace

TEST_CASE("build_info carries the version as an escaped label") {
  const std::string text = render_metrics(sample_snapshot());
  CHECK(family(text, "build_info") ==
        "# HELP apexd_build_info The apexd version running.\n"
        "# TYPE apexd_build_info gauge\n"
        "apexd_build_info{version=\"1.2.3-\\\"dev\\\"\"} 1\n");
}

TEST_CASE("labelled counters list every label value, zero or not") {
  const std::string text = render_metrics(sample_snapshot());
  CHECK(family(text, "queries_total") ==
        "# HELP apexd_queries_total DNS requests received, by transport and address family.\n"
        "# TYPE apexd_queries_total counter\n"
        "apexd_queries_total{transport=\"udp\",family=\"ipv4\"} 7\n"
        "apexd_queries_total{transport=\"udp\",family=\"ipv6\"} 0\n"
        "apexd_queries_total{transport=\"tcp\",family=\"ipv4\"} 0\n"
        "apexd_queries_total{transport=\"tcp\",family=\"ipv6\"} 3\n");
  const std::string responses = family(text, "responses_total");
  CHECK(responses.find("apexd_responses_total{rcode=\"NXDOMAIN\"} 2\n") != std::string::npos);
  CHECK(responses.find("apexd_responses_total{rcode=\"NOTAUTH\"} 0\n") != std::string::npos);
  CHECK(family(text, "queries_by_type_total").find("{type=\"A\"} 10\n") != std::string::npos);
  CHECK(family(text, "rrl_slipped_total").find("apexd_rrl_slipped_total 5\n") != std::string::npos);
  CHECK(family(text, "dnssec_signatures_total").find("apexd_dnssec_signatures_total 40000\n") !=
        std::string::npos);
}

TEST_CASE("histogram buckets are cumulative and end with +Inf, _sum and _count") {
  const std::string text = render_metrics(sample_snapshot());
  CHECK(family(text, "response_size_bytes") ==
        "# HELP apexd_response_size_bytes Size of DNS responses sent (zone transfers excluded).\n"
        "# TYPE apexd_response_size_bytes histogram\n"
        "apexd_response_size_bytes_bucket{le=\"64\"} 1\n"
        "apexd_response_size_bytes_bucket{le=\"128\"} 3\n"
        "apexd_response_size_bytes_bucket{le=\"256\"} 3\n"
        "apexd_response_size_bytes_bucket{le=\"512\"} 7\n"
        "apexd_response_size_bytes_bucket{le=\"1024\"} 7\n"
        "apexd_response_size_bytes_bucket{le=\"1232\"} 7\n"
        "apexd_response_size_bytes_bucket{le=\"2048\"} 7\n"
        "apexd_response_size_bytes_bucket{le=\"4096\"} 7\n"
        "apexd_response_size_bytes_bucket{le=\"16384\"} 7\n"
        "apexd_response_size_bytes_bucket{le=\"65535\"} 7\n"
        "apexd_response_size_bytes_bucket{le=\"+Inf\"} 8\n"
        "apexd_response_size_bytes_sum 70000\n"
        "apexd_response_size_bytes_count 8\n");
  // Seconds: bounds in the shortest exact decimal form.
  const std::string duration = family(text, "request_duration_seconds");
  CHECK(duration.find("apexd_request_duration_seconds_bucket{le=\"1e-05\"} 0\n") !=
        std::string::npos);
  CHECK(duration.find("apexd_request_duration_seconds_bucket{le=\"0.00025\"} 0\n") !=
        std::string::npos);
  CHECK(duration.find("apexd_request_duration_seconds_bucket{le=\"1\"} 0\n") != std::string::npos);
}

TEST_CASE("gauges carry fractions as they are") {
  const std::string text = render_metrics(sample_snapshot());
  CHECK(family(text, "zones").find("# TYPE apexd_zones gauge\napexd_zones 12\n") !=
        std::string::npos);
  CHECK(family(text, "last_reload_timestamp_seconds")
            .find("apexd_last_reload_timestamp_seconds 1767225600.5\n") != std::string::npos);
}

TEST_CASE("each family is announced once, before its samples; counters end _total") {
  const std::vector<std::string> lines = lines_of(render_metrics(sample_snapshot()));
  std::map<std::string, std::string> types;  // family -> type
  std::set<std::string> helps;
  std::string current;
  std::size_t samples = 0;
  for (const std::string& line : lines) {
    REQUIRE_FALSE(line.empty());
    if (line.rfind("# HELP ", 0) == 0) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      CHECK(helps.insert(name).second);
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      CHECK(helps.count(name) == 1);
      CHECK(types.emplace(name, line.substr(line.rfind(' ') + 1)).second);
      current = name;
      continue;
    }
    ++samples;
    const std::string name = line.substr(0, line.find_first_of("{ "));
    CHECK(name.rfind("apexd_", 0) == 0);
    // A sample belongs to the family announced last (histograms add their suffixes).
    const bool ours =
        name == current ||
        (types[current] == "histogram" &&
         (name == current + "_bucket" || name == current + "_sum" || name == current + "_count"));
    CHECK_MESSAGE(ours, line);
  }
  for (const auto& [name, type] : types) {
    const bool total = name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0;
    CHECK_MESSAGE((type == "counter") == total, name);
  }
  CHECK(types.count("apexd_change_apply_seconds") == 1);
  CHECK(types.count("apexd_log_lines_dropped_total") == 1);
  // The same number of series whatever the values: none depends on the data served.
  MetricsSnapshot busy = sample_snapshot();
  busy.zones = 100000;
  busy.queries.duration.counts.assign(busy.queries.duration.counts.size(), 3);
  CHECK(lines_of(render_metrics(busy)).size() == lines.size());
  CHECK(samples > 60);
}
