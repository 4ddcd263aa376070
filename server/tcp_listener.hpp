// DNS over TCP (RFC 7766): accepts connections within the total and per-client limits and
// runs one session per connection: length-framed queries answered in order (pipelining),
// idle time-out. When a limit is reached, or descriptors run out, the oldest idle connection
// is closed to make room (RFC 7766 §6.2.3 lets a server close idle connections), as NSD and
// Knot do, so a flood of idle connections cannot lock other clients out.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/connection_table.hpp"
#include "server/dnstap_logger.hpp"
#include "server/query_metrics.hpp"
#include "server/snapshot_store.hpp"
#include "server/transfer_session.hpp"
#include "zones/responder.hpp"

namespace apex::server {

struct TcpLimits {
  std::chrono::milliseconds idle_timeout;
  unsigned max_queries;  // per connection, 0: unlimited
};

// A connection as the listener tracks it for eviction; the socket lives in its session.
struct TcpSessionEntry {
  boost::asio::ip::tcp::socket* socket;
  ClientKey client;
  bool idle = true;       // waiting for the next query: may be closed to make room
  bool released = false;  // its admission slot was handed to a newer connection
};

class TcpListener {
 public:
  TcpListener(boost::asio::ip::tcp::acceptor acceptor, SnapshotReader& snapshot,
              Responder& responder, ConnectionTable& connections, TcpLimits limits,
              TransferCounters& transfers, TransferServices& services, QueryMetrics& metrics,
              DnstapLogger* dnstap = nullptr);
  void start();
  void close();
  // Shutting down (call on the listener's thread): accepts no more connections and closes the
  // idle ones; a connection in the middle of a query or transfer finishes it, then closes.
  void drain();
  // Connections still open, readable from any thread.
  std::size_t open_connections() const { return open_.load(std::memory_order_relaxed); }

  using Sessions = std::list<TcpSessionEntry>;

 private:
  void accepted(boost::asio::ip::tcp::socket socket);
  void out_of_descriptors(const boost::system::error_code& ec);
  // Closes the longest-idle connection (of client, if given) and frees its slot.
  bool evict_idle(const ClientKey* client);

  boost::asio::ip::tcp::acceptor acceptor_;
  SnapshotReader& snapshot_;
  Responder& responder_;
  ConnectionTable& connections_;
  TcpLimits limits_;
  Sessions sessions_;  // oldest-idle first
  boost::asio::steady_timer pause_;
  TransferCounters& transfers_;
  TransferServices& services_;
  QueryMetrics& metrics_;
  DnstapLogger* dnstap_;    // null: no dnstap log
  bool exhausted_ = false;  // in an episode of descriptor exhaustion (logged once)
  bool draining_ = false;
  std::atomic<std::size_t> open_{0};
  std::vector<std::uint8_t> scratch_;  // responses are built here, then copied per session
};

}  // namespace apex::server
