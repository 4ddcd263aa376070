// Asynchronous stub-resolver client to recursive resolvers (RFC 1035 §7.1) with RFC 5452
// hygiene, failover between resolvers, bounded concurrency and a query-rate cap (ARCHITECTURE.md
// §5).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "flatten/resolver_set.hpp"
#include "flatten/upstream_result.hpp"
#include "zones/name.hpp"
#include "zones/rrtype.hpp"

namespace apex::flatten {

struct UpstreamOptions {
  std::vector<boost::asio::ip::udp::endpoint> resolvers;
  // How long one try waits for the genuine response (a TCP retry after TC=1 gets as long again).
  std::chrono::milliseconds try_timeout{1500};
  // Tries per resolution, each to the next resolver in health order (wrapping around).
  unsigned tries = 3;
  // Resolutions under way at once; more wait in a queue, first come first served.
  unsigned max_in_flight = 64;
  // Queries sent per second over all resolvers (bursts up to one second's worth); 0: no cap.
  unsigned max_queries_per_second = 500;
  ResolverHealthPolicy health;
};

struct UpstreamClientState;

class UpstreamClient {
 public:
  using Done = std::function<void(UpstreamResult)>;
  using ResolverStats = flatten::ResolverStats;

  // Runs everything on a strand of io; the client never blocks and never uses another thread.
  UpstreamClient(boost::asio::io_context& io, UpstreamOptions options);

  // Resolves qname/qtype (class IN) with the configured tries and failover; done is invoked
  // exactly once, on a thread running io, never from inside resolve(). May be called from any
  // thread. Resolutions under way keep the client's internals alive and complete even if the
  // client is destroyed first; destroying io abandons them without calling done.
  void resolve(const Name& qname, RRType qtype, Done done);

  // Per resolver counters and health; may be called from any thread.
  std::vector<ResolverStats> stats() const;

 private:
  std::shared_ptr<UpstreamClientState> state_;
};

}  // namespace apex::flatten
