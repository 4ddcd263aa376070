// UDP fast path: one SO_REUSEPORT socket per worker, drained in batches with recvmmsg and
// answered with sendmmsg; all buffers are allocated once (ARCHITECTURE.md §3.1).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <span>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "server/dnstap_logger.hpp"
#include "server/journal_reader.hpp"
#include "server/query_metrics.hpp"
#include "server/response_rate_limiter.hpp"
#include "server/snapshot_store.hpp"
#include "zones/responder.hpp"

namespace apex::server {

class UdpListener {
 public:
  // IXFR queries (RFC 1995 §2) are answered here, from journal; all else by responder, and
  // its answers pass response rate limiting (rrl). dnstap, when not null, logs every query
  // and response.
  UdpListener(boost::asio::ip::udp::socket socket, SnapshotReader& snapshot, Responder& responder,
              JournalReader& journal, QueryMetrics& metrics, ResponseRateLimiter& rrl,
              unsigned batch, std::size_t max_response, DnstapLogger* dnstap = nullptr);
  void start() { wait_readable(); }
  void close();

 private:
  void wait_readable();
  // Receives and answers until the socket has nothing more; returns false on a hard error.
  bool drain();
  void send(unsigned count);
  std::size_t answer(std::span<const std::uint8_t> request, const sockaddr_storage& peer,
                     const Snapshot& snapshot, std::span<std::uint8_t> out, std::uint64_t now);
  std::size_t rate_limited(const sockaddr_storage& peer, std::span<std::uint8_t> out,
                           std::size_t length);
  // Datagram i of the batch received at received, and what was answered (empty: nothing).
  void log_dnstap(unsigned i, std::span<const std::uint8_t> response, DnstapTime received);

  boost::asio::ip::udp::socket socket_;
  SnapshotReader& snapshot_;
  Responder& responder_;
  JournalReader& journal_;
  QueryMetrics& metrics_;
  ResponseRateLimiter& rrl_;
  std::uint32_t rrl_now_ = 0;  // monotonic seconds, read once per batch while RRL is on
  unsigned batch_;
  std::size_t max_response_;
  std::vector<std::uint8_t> requests_, responses_;
  std::vector<sockaddr_storage> peers_;
  std::vector<iovec> request_iov_, response_iov_;
  std::vector<mmsghdr> received_, replies_;
  DnstapLogger* dnstap_;
  DnstapEndpoint local_;  // response_address/port in the dnstap log
};

}  // namespace apex::server
