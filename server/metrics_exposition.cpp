// Rendering a MetricsSnapshot as Prometheus text: one writer per sample kind, so every family
// is announced exactly once, before its samples.
#include "server/metrics_exposition.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace apex::server {
namespace {

class Writer {
 public:
  // Starts a family: its HELP and TYPE lines.
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP apexd_";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE apexd_";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  // labels: already formatted ("a=\"x\",b=\"y\""), or empty.
  void sample(std::string_view name, std::string_view labels, double value) {
    out_ += "apexd_";
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    out_ += ' ';
    number(value);
    out_ += '\n';
  }
  void sample(std::string_view name, std::string_view labels, std::uint64_t value) {
    sample(name, labels, static_cast<double>(value));
  }
  void single(std::string_view name, std::string_view type, std::string_view help,
              std::uint64_t value) {
    family(name, type, help);
    sample(name, "", value);
  }
  void histogram(std::string_view name, std::string_view help, const HistogramValues& h) {
    family(name, "histogram", help);
    const std::string bucket = std::string(name) + "_bucket";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < h.bounds.size(); ++i) {
      cumulative += i < h.counts.size() ? h.counts[i] : 0;
      std::string le = "le=\"";
      append_number(le, h.bounds[i]);
      le += '"';
      sample(bucket, le, cumulative);
    }
    const std::uint64_t count = h.count();
    sample(bucket, "le=\"+Inf\"", count);
    sample(std::string(name) + "_sum", "", h.sum);
    sample(std::string(name) + "_count", "", count);
  }
  std::string take() { return std::move(out_); }

  // Shortest text that reads back as the same double; integers without an exponent.
  static void append_number(std::string& to, double value) {
    char text[32];
    std::to_chars_result r;
    if (value == std::floor(value) && std::fabs(value) < 1e15)
      r = std::to_chars(text, text + sizeof text, static_cast<std::int64_t>(value));
    else
      r = std::to_chars(text, text + sizeof text, value);
    to.append(text, r.ptr);
  }

 private:
  void number(double value) { append_number(out_, value); }
  std::string out_;
};

// A label value, escaped as the format requires (backslash, double quote, line feed).
std::string label_value(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void queries(Writer& w, const QueryTotals& q) {
  static constexpr std::string_view kTransports[] = {"udp", "tcp"};
  static constexpr std::string_view kFamilies[] = {"ipv4", "ipv6"};
  w.family("queries_total", "counter", "DNS requests received, by transport and address family.");
  for (std::size_t t = 0; t < 2; ++t)
    for (std::size_t f = 0; f < 2; ++f)
      w.sample("queries_total",
               "transport=\"" + std::string(kTransports[t]) + "\",family=\"" +
                   std::string(kFamilies[f]) + "\"",
               q.queries[t][f]);
  w.family("responses_total", "counter", "DNS responses sent, by RCODE.");
  for (std::size_t i = 0; i < kRcodeClasses; ++i)
    w.sample("responses_total", "rcode=\"" + std::string(kRcodeNames[i]) + "\"", q.responses[i]);
  w.family("queries_by_type_total", "counter", "DNS requests received, by QTYPE.");
  for (std::size_t i = 0; i < kQtypeClasses; ++i)
    w.sample("queries_by_type_total", "type=\"" + std::string(kQtypeNames[i]) + "\"", q.by_type[i]);
  w.single("truncated_total", "counter", "Responses sent with TC=1.", q.truncated);
  w.single("dropped_total", "counter", "Requests that got no response.", q.dropped);
  w.single("malformed_total", "counter", "Requests answered FORMERR.", q.malformed);
  w.histogram("request_duration_seconds", "Time from receiving a request to its response ready.",
              q.duration);
  w.histogram("response_size_bytes", "Size of DNS responses sent (zone transfers excluded).",
              q.size);
}

void zones(Writer& w, const MetricsSnapshot& s) {
  w.single("zones", "gauge", "Zones served.", s.zones);
  w.family("last_reload_timestamp_seconds", "gauge",
           "When the served zones last changed (load or live apply), seconds since 1970.");
  w.sample("last_reload_timestamp_seconds", "", s.last_reload);
  w.histogram("change_apply_seconds", "Time to apply the change log entries of one poll.",
              s.change_apply);
  w.single("sqlite_errors_total", "counter", "Failed database reads and writes.", s.sqlite_errors);
}

void alias(Writer& w, const AliasMetrics& a) {
  w.single("alias_refreshes_total", "counter", "ALIAS target resolutions completed.", a.refreshes);
  w.single("alias_refresh_failures_total", "counter", "ALIAS target resolutions that failed.",
           a.failures);
  w.single("alias_upstream_queries_total", "counter", "Queries sent to upstream resolvers.",
           a.upstream_queries);
  w.single("alias_local_resolutions_total", "counter",
           "ALIAS chain steps answered from served zones.", a.local_resolutions);
  w.single("alias_stale_answers_total", "counter",
           "Answers given with last-known-good ALIAS addresses.", a.stale_answers);
  w.single("alias_health_probes_total", "counter", "Health probes of ALIAS targets.",
           a.health_probes);
  w.single("alias_health_probe_failures_total", "counter", "Health probes that failed.",
           a.health_failures);
  w.single("alias_persist_errors_total", "counter", "Flattened results not loaded or saved.",
           a.persist_errors);
  w.single("alias_targets", "gauge", "Distinct ALIAS targets.", a.targets);
  w.single("alias_stale_families", "gauge",
           "ALIAS target address families serving last-known-good addresses.", a.stale_families);
  w.single("alias_failed_families", "gauge", "ALIAS target address families with nothing to serve.",
           a.failed_families);
}

void notify_and_transfers(Writer& w, const NotifyMetrics& n, const TransferMetrics& t) {
  w.single("notify_sent_total", "counter", "NOTIFY messages sent, resends included.", n.sent);
  w.single("notify_acknowledged_total", "counter", "NOTIFYs acknowledged by a secondary.",
           n.acknowledged);
  w.single("notify_refused_total", "counter", "NOTIFYs answered with an error RCODE.", n.refused);
  w.single("notify_unanswered_total", "counter", "NOTIFYs given up after every resend.",
           n.unanswered);
  w.single("transfers_total", "counter", "Zone transfers (AXFR, IXFR) streamed to the end.",
           t.completed);
  w.single("transfers_refused_total", "counter", "Zone transfer requests answered with an error.",
           t.refused);
  w.single("transfers_busy_total", "counter",
           "Zone transfer requests refused because every transfer slot was taken.", t.busy);
}

}  // namespace

std::string render_metrics(const MetricsSnapshot& s) {
  Writer w;
  w.family("build_info", "gauge", "The apexd version running.");
  w.sample("build_info", "version=\"" + label_value(s.version) + "\"", std::uint64_t{1});
  queries(w, s.queries);
  zones(w, s);
  alias(w, s.alias);
  notify_and_transfers(w, s.notify, s.transfers);
  w.single("rrl_slipped_total", "counter",
           "Responses rate limiting sent truncated instead of dropping.", s.rrl_slipped);
  w.single("rrl_dropped_total", "counter", "Responses rate limiting dropped.", s.rrl_dropped);
  w.single("log_lines_dropped_total", "counter", "Log lines that could not be written.",
           s.log_lines_dropped);
  w.single("dnssec_signatures_total", "counter",
           "RRSIGs made when signed zones were published (none per query).", s.dnssec_signatures);
  return w.take();
}

}  // namespace apex::server
