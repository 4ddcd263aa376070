// The configured upstream resolvers with health tracking: which to try, in what order, for
// failover between them (RFC 5452 §9.1 hygiene; ARCHITECTURE.md §5 "failover with health
// tracking").
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "flatten/upstream_result.hpp"

namespace apex::flatten {

struct ResolverHealthPolicy {
  // Consecutive failures after which a resolver is unhealthy and tried last.
  unsigned unhealthy_after = 3;
  // How often an unhealthy resolver is tried first again, to notice it has come back.
  std::chrono::milliseconds reprobe_interval{std::chrono::seconds(30)};
};

struct ResolverStats {
  boost::asio::ip::udp::endpoint endpoint;
  std::uint64_t queries = 0;
  std::uint64_t failures = 0;  // every try that gave no definitive result, time-outs included
  std::uint64_t timeouts = 0;
  std::uint64_t mismatched = 0;  // responses ignored: wrong source, ID or question (RFC 5452)
  bool healthy = true;
};

// Thread-safe: the client updates it on the io_context's thread; stats() may be read anywhere.
class ResolverSet {
 public:
  using Clock = std::chrono::steady_clock;

  ResolverSet(std::vector<boost::asio::ip::udp::endpoint> resolvers, ResolverHealthPolicy policy);

  std::size_t size() const { return resolvers_.size(); }
  const boost::asio::ip::udp::endpoint& endpoint(std::size_t i) const {
    return resolvers_[i].stats.endpoint;
  }

  // The order in which one resolution tries the resolvers: healthy ones in configured order,
  // then unhealthy ones. An unhealthy resolver whose re-probe is due goes first, once per
  // reprobe_interval, so a recovered resolver is noticed.
  std::vector<std::size_t> order(Clock::time_point now);

  void record_query(std::size_t i);
  void record_mismatched(std::size_t i, std::uint64_t count);
  // The outcome of one try. Definitive results restore health; time-outs, network errors,
  // malformed responses and REFUSED count against it. SERVFAIL is counted as a failure but
  // leaves health alone: it usually means the target's servers failed, not the resolver.
  void record_outcome(std::size_t i, UpstreamStatus status, Clock::time_point now);

  std::vector<ResolverStats> stats() const;

 private:
  struct Resolver {
    ResolverStats stats;
    unsigned consecutive_failures = 0;
    Clock::time_point next_probe{};
  };

  mutable std::mutex mutex_;
  std::vector<Resolver> resolvers_;
  ResolverHealthPolicy policy_;
};

}  // namespace apex::flatten
