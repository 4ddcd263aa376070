// Batched UDP receive/answer/send loop over a non-blocking socket.
#include "server/udp_listener.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <netinet/in.h>

#include "server/log.hpp"
#include "server/slipped_response.hpp"
#include "server/transfer_session.hpp"
#include "server/unix_time.hpp"

namespace apex::server {
namespace {

// Larger requests are not queries a DNS client sends; they arrive MSG_TRUNC and are dropped.
constexpr std::size_t kMaxRequest = 4096;

boost::asio::ip::address address_of(const sockaddr_storage& peer) {
  if (peer.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(peer);
    boost::asio::ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), &v6.sin6_addr, bytes.size());
    return boost::asio::ip::make_address_v6(bytes, v6.sin6_scope_id);
  }
  const auto& v4 = reinterpret_cast<const sockaddr_in&>(peer);
  return boost::asio::ip::address_v4(ntohl(v4.sin_addr.s_addr));
}

std::uint32_t monotonic_seconds() {
  return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

UdpListener::UdpListener(boost::asio::ip::udp::socket socket, SnapshotReader& snapshot,
                         Responder& responder, JournalReader& journal, QueryMetrics& metrics,
                         ResponseRateLimiter& rrl, unsigned batch, std::size_t max_response,
                         DnstapLogger* dnstap)
    : socket_(std::move(socket)),
      snapshot_(snapshot),
      responder_(responder),
      journal_(journal),
      metrics_(metrics),
      rrl_(rrl),
      batch_(batch),
      max_response_(max_response),
      requests_(batch * kMaxRequest),
      responses_(batch * max_response),
      peers_(batch),
      request_iov_(batch),
      response_iov_(batch),
      received_(batch),
      replies_(batch),
      dnstap_(dnstap) {
  socket_.non_blocking(true);
  if (dnstap_) {
    boost::system::error_code ec;
    const auto local = socket_.local_endpoint(ec);
    if (!ec) local_ = DnstapEndpoint::of(local.address(), local.port());
  }
  for (unsigned i = 0; i < batch; ++i) request_iov_[i] = {&requests_[i * kMaxRequest], kMaxRequest};
}

void UdpListener::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void UdpListener::wait_readable() {
  socket_.async_wait(boost::asio::ip::udp::socket::wait_read,
                     [this](const boost::system::error_code& ec) {
                       if (ec) return;  // closed at shutdown
                       if (drain()) wait_readable();
                     });
}

bool UdpListener::drain() {
  const int fd = socket_.native_handle();
  for (;;) {
    for (unsigned i = 0; i < batch_; ++i) {
      msghdr& h = received_[i].msg_hdr;
      h = msghdr{};
      h.msg_name = &peers_[i];
      h.msg_namelen = sizeof(sockaddr_storage);
      h.msg_iov = &request_iov_[i];
      h.msg_iovlen = 1;
    }
    int n = ::recvmmsg(fd, received_.data(), batch_, MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return true;
      log_error(std::string("UDP receive failed: ") + std::strerror(errno));
      return errno != EBADF;
    }
    const Snapshot& snapshot = snapshot_.refresh();  // once per batch (ARCHITECTURE.md §3.7)
    const std::uint64_t now = unix_seconds();        // for TSIG-signed queries
    // Durations run from the batch's arrival: a datagram's wait behind the others counts.
    const auto arrived = std::chrono::steady_clock::now();
    rrl_.refresh();
    if (rrl_.enabled()) rrl_now_ = monotonic_seconds();
    const DnstapTime received = dnstap_ ? dnstap_now() : DnstapTime{};
    unsigned replies = 0;
    for (int i = 0; i < n; ++i) {
      const std::span<const std::uint8_t> request{
          &requests_[i * kMaxRequest], std::min<std::size_t>(received_[i].msg_len, kMaxRequest)};
      metrics_.received(Transport::kUdp,
                        peers_[i].ss_family == AF_INET6 ? Family::kIpv6 : Family::kIpv4, request);
      if (received_[i].msg_hdr.msg_flags & MSG_TRUNC) {
        metrics_.dropped();
        continue;
      }
      std::uint8_t* out = &responses_[replies * max_response_];
      std::size_t len = answer(request, peers_[i], snapshot, {out, max_response_}, now);
      if (dnstap_) log_dnstap(static_cast<unsigned>(i), {out, len}, received);
      if (len == 0) {
        metrics_.dropped();
        continue;
      }
      metrics_.answered({out, len}, std::chrono::steady_clock::now() - arrived);
      response_iov_[replies] = {out, len};
      msghdr& h = replies_[replies].msg_hdr;
      h = msghdr{};
      h.msg_name = &peers_[i];
      h.msg_namelen = received_[i].msg_hdr.msg_namelen;
      h.msg_iov = &response_iov_[replies];
      h.msg_iovlen = 1;
      ++replies;
    }
    send(replies);
    if (static_cast<unsigned>(n) < batch_) return true;
  }
}

std::size_t UdpListener::answer(std::span<const std::uint8_t> request, const sockaddr_storage& peer,
                                const Snapshot& snapshot, std::span<std::uint8_t> out,
                                std::uint64_t now) {
  if (auto ixfr = ixfr_query(request))
    return answer_ixfr_datagram(request, *ixfr, snapshot, address_of(peer), out, journal_);
  const std::size_t length =
      responder_.respond(*snapshot.zones, *snapshot.aliases, request, Transport::kUdp, out,
                         snapshot.access->keyring(), now);
  if (length == 0 || !rrl_.enabled()) return length;
  return rate_limited(peer, out, length);
}

// Over UDP only: the TCP handshake proves a client's address, so TCP cannot be reflected.
std::size_t UdpListener::rate_limited(const sockaddr_storage& peer, std::span<std::uint8_t> out,
                                      std::size_t length) {
  switch (rrl_.check(peer, responder_.last_response(), rrl_now_)) {
    case RrlVerdict::kSend:
      return length;
    case RrlVerdict::kSlip:
      return slip_response(out, length);
    case RrlVerdict::kDrop:
      return 0;
  }
  return length;
}

void UdpListener::log_dnstap(unsigned i, std::span<const std::uint8_t> response,
                             DnstapTime received) {
  DnstapExchange exchange;
  exchange.protocol = DnstapProtocol::kUdp;
  exchange.client = DnstapEndpoint::of(peers_[i]);
  exchange.server = local_;
  exchange.query_time = received;  // one reading per batch: the batch arrived together
  if (!response.empty()) exchange.response_time = dnstap_now();
  exchange.query = {&requests_[i * kMaxRequest], received_[i].msg_len};
  exchange.response = response;
  dnstap_->log(exchange);
}

void UdpListener::send(unsigned count) {
  const int fd = socket_.native_handle();
  unsigned sent = 0;
  while (sent < count) {
    int n = ::sendmmsg(fd, &replies_[sent], count - sent, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      // A full send buffer or an unreachable peer loses this datagram, as UDP may; go on.
      ++sent;
      continue;
    }
    sent += static_cast<unsigned>(n);
  }
}

}  // namespace apex::server
