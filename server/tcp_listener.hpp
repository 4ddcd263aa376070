// DNS over TCP (RFC 7766): accepts connections within a global limit and runs one session per
// connection: length-framed queries answered in order (pipelining), idle time-out.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/snapshot_store.hpp"
#include "zones/responder.hpp"

namespace apex::server {

struct TcpLimits {
  std::chrono::milliseconds idle_timeout;
  unsigned max_queries;  // per connection, 0: unlimited
  unsigned max_connections;
};

// Connections open across all workers.
class ConnectionCounter {
 public:
  bool try_acquire(unsigned limit) {
    unsigned now = open_.fetch_add(1, std::memory_order_relaxed);
    if (now < limit) return true;
    open_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  void release() { open_.fetch_sub(1, std::memory_order_relaxed); }

 private:
  std::atomic<unsigned> open_{0};
};

class TcpListener {
 public:
  TcpListener(boost::asio::ip::tcp::acceptor acceptor, SnapshotReader& snapshot,
              Responder& responder, ConnectionCounter& connections, TcpLimits limits);
  void start();
  void close();

 private:
  boost::asio::ip::tcp::acceptor acceptor_;
  SnapshotReader& snapshot_;
  Responder& responder_;
  ConnectionCounter& connections_;
  TcpLimits limits_;
  std::vector<std::uint8_t> scratch_;  // responses are built here, then copied per session
};

}  // namespace apex::server
