// Recording and reading the per-worker query counters.
#include "server/query_metrics.hpp"

namespace apex::server {
namespace {

template <class Array>
void add_each(Array& into, const Array& from) {
  for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}

template <std::size_t N>
std::array<std::uint64_t, N> load_each(const std::array<std::atomic<std::uint64_t>, N>& cells) {
  std::array<std::uint64_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = cells[i].load(std::memory_order_relaxed);
  return out;
}

}  // namespace

void QueryTotals::add(const QueryTotals& other) {
  for (std::size_t t = 0; t < queries.size(); ++t) add_each(queries[t], other.queries[t]);
  add_each(responses, other.responses);
  add_each(by_type, other.by_type);
  truncated += other.truncated;
  dropped += other.dropped;
  malformed += other.malformed;
  duration.add(other.duration);
  size.add(other.size);
}

void QueryMetrics::received(Transport transport, Family family,
                            std::span<const std::uint8_t> request) {
  bump(queries_[static_cast<std::size_t>(transport)][static_cast<std::size_t>(family)]);
  bump(by_type_[static_cast<std::size_t>(qtype_class(request))]);
}

void QueryMetrics::answered(std::span<const std::uint8_t> response,
                            std::chrono::nanoseconds duration) {
  const ResponseClass what = response_class(response);
  bump(responses_[static_cast<std::size_t>(what.rcode)]);
  if (what.truncated) bump(truncated_);
  duration_.record(static_cast<std::uint64_t>(std::max<std::int64_t>(duration.count(), 0)));
  size_.record(response.size());
}

QueryTotals QueryMetrics::read() const {
  QueryTotals out;
  for (std::size_t t = 0; t < queries_.size(); ++t) out.queries[t] = load_each(queries_[t]);
  out.responses = load_each(responses_);
  out.by_type = load_each(by_type_);
  out.truncated = truncated_.load(std::memory_order_relaxed);
  out.dropped = dropped_.load(std::memory_order_relaxed);
  out.malformed = out.responses[static_cast<std::size_t>(RcodeClass::kFormErr)];
  out.duration = duration_.read();
  out.size = size_.read();
  return out;
}

}  // namespace apex::server
