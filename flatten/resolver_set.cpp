// Resolver health and failover order for the upstream client (RFC 5452 §9.1; ARCHITECTURE.md §5).
#include "flatten/resolver_set.hpp"

namespace apex::flatten {

ResolverSet::ResolverSet(std::vector<boost::asio::ip::udp::endpoint> resolvers,
                         ResolverHealthPolicy policy)
    : policy_(policy) {
  resolvers_.reserve(resolvers.size());
  for (auto& endpoint : resolvers) {
    Resolver r;
    r.stats.endpoint = endpoint;
    resolvers_.push_back(r);
  }
}

std::vector<std::size_t> ResolverSet::order(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  std::vector<std::size_t> probe, healthy, unhealthy;
  for (std::size_t i = 0; i < resolvers_.size(); ++i) {
    Resolver& r = resolvers_[i];
    if (r.stats.healthy) {
      healthy.push_back(i);
    } else if (now >= r.next_probe) {
      r.next_probe = now + policy_.reprobe_interval;
      probe.push_back(i);
    } else {
      unhealthy.push_back(i);
    }
  }
  probe.insert(probe.end(), healthy.begin(), healthy.end());
  probe.insert(probe.end(), unhealthy.begin(), unhealthy.end());
  return probe;
}

void ResolverSet::record_query(std::size_t i) {
  std::lock_guard lock(mutex_);
  ++resolvers_[i].stats.queries;
}

void ResolverSet::record_mismatched(std::size_t i, std::uint64_t count) {
  std::lock_guard lock(mutex_);
  resolvers_[i].stats.mismatched += count;
}

void ResolverSet::record_outcome(std::size_t i, UpstreamStatus status, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Resolver& r = resolvers_[i];
  if (is_definitive(status)) {
    r.consecutive_failures = 0;
    r.stats.healthy = true;
    return;
  }
  ++r.stats.failures;
  if (status == UpstreamStatus::kTimeout) ++r.stats.timeouts;
  if (status == UpstreamStatus::kServFail) return;
  if (++r.consecutive_failures >= policy_.unhealthy_after && r.stats.healthy) {
    r.stats.healthy = false;
    r.next_probe = now + policy_.reprobe_interval;
  }
}

std::vector<ResolverStats> ResolverSet::stats() const {
  std::lock_guard lock(mutex_);
  std::vector<ResolverStats> out;
  out.reserve(resolvers_.size());
  for (const Resolver& r : resolvers_) out.push_back(r.stats);
  return out;
}

}  // namespace apex::flatten
