// TCP sessions as coroutines: they only move bytes and enforce limits; answers come from the
// shared Responder (RFC 7766 §6.2.1.1: queries on one connection are answered in order).
#include "server/tcp_listener.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <optional>

#include "server/io_deadline.hpp"
#include "server/log.hpp"
#include "server/transfer_session.hpp"
#include "server/unix_time.hpp"
#include "zones/transfer_request.hpp"

namespace apex::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// How long accepting pauses when descriptors run out, so the loop does not spin on EMFILE.
constexpr std::chrono::milliseconds kExhaustionPause{100};

struct SessionContext {
  SnapshotReader& snapshot;
  Responder& responder;
  std::vector<std::uint8_t>& scratch;
  TcpLimits limits;
  ConnectionTable& connections;
  TcpListener::Sessions& sessions;
  TransferCounters& transfers;
  TransferServices& services;
  QueryMetrics& metrics;
  const bool& draining;  // shutting down: close after the request in hand
  std::atomic<std::size_t>& open;
  DnstapLogger* dnstap;  // null: no dnstap log
};

// The connection's ends as the dnstap log gives them (read once per connection).
struct DnstapEnds {
  DnstapEndpoint client, server;
  explicit DnstapEnds(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (!ec) client = DnstapEndpoint::of(remote.address(), remote.port());
    const auto local = socket.local_endpoint(ec);
    if (!ec) server = DnstapEndpoint::of(local.address(), local.port());
  }
};

void log_dnstap(DnstapLogger& dnstap, const DnstapEnds& ends, DnstapTime received,
                std::span<const std::uint8_t> query, std::span<const std::uint8_t> response) {
  DnstapExchange exchange;
  exchange.protocol = DnstapProtocol::kTcp;
  exchange.client = ends.client;
  exchange.server = ends.server;
  exchange.query_time = received;
  if (!response.empty()) exchange.response_time = dnstap_now();
  exchange.query = query;
  exchange.response = response;
  dnstap.log(exchange);
}

// Marks the session idle (waiting for a query) at the back of the eviction order, or busy.
void set_idle(TcpListener::Sessions& sessions, TcpListener::Sessions::iterator me, bool idle) {
  me->idle = idle;
  if (idle) sessions.splice(sessions.end(), sessions, me);
}

asio::awaitable<void> serve_connection(tcp::socket socket, ClientKey client, Family family,
                                       SessionContext ctx) {
  auto me = ctx.sessions.insert(ctx.sessions.end(), TcpSessionEntry{&socket, client});
  Deadline deadline(socket, ctx.limits.idle_timeout);
  const std::optional<DnstapEnds> ends =
      ctx.dnstap ? std::optional<DnstapEnds>(socket) : std::nullopt;
  std::vector<std::uint8_t> request, reply;
  boost::system::error_code ec;
  auto with_ec = asio::redirect_error(asio::use_awaitable, ec);
  for (unsigned served = 0;
       !ctx.draining && (ctx.limits.max_queries == 0 || served < ctx.limits.max_queries);
       ++served) {
    std::uint8_t prefix[2];
    set_idle(ctx.sessions, me, true);
    deadline.arm();
    co_await asio::async_read(socket, asio::buffer(prefix), with_ec);
    if (ec) break;
    set_idle(ctx.sessions, me, false);
    std::size_t length = static_cast<std::size_t>(prefix[0]) << 8 | prefix[1];
    if (length < kHeaderSize) break;  // cannot be a DNS message: end the stream
    request.resize(length);
    co_await asio::async_read(socket, asio::buffer(request), with_ec);
    if (ec) break;
    const auto received_at = std::chrono::steady_clock::now();
    ctx.metrics.received(Transport::kTcp, family, request);
    const DnstapTime received = ctx.dnstap ? dnstap_now() : DnstapTime{};
    const Snapshot& snapshot = ctx.snapshot.refresh();
    // A transfer is counted as a query; its stream in the transfer counters.
    if (auto transfer = transfer_query(request)) {
      // The query alone: a transfer's stream of messages is not a response to log.
      if (ctx.dnstap) log_dnstap(*ctx.dnstap, *ends, received, request, {});
      // A copy: the stream outlives this refresh while other sessions refresh the reader.
      if (!co_await serve_transfer(socket, request, *transfer, Snapshot(snapshot), deadline,
                                   ctx.transfers, ctx.services))
        break;
      continue;
    }
    std::size_t n = ctx.responder.respond(
        *snapshot.zones, *snapshot.aliases, request, Transport::kTcp,
        {ctx.scratch.data() + 2, kMaxMessageSize}, snapshot.access->keyring(), unix_seconds());
    if (ctx.dnstap) log_dnstap(*ctx.dnstap, *ends, received, request, {ctx.scratch.data() + 2, n});
    if (n == 0) {  // dropped (a response, QR=1): nothing to send
      ctx.metrics.dropped();
      continue;
    }
    ctx.metrics.answered({ctx.scratch.data() + 2, n},
                         std::chrono::steady_clock::now() - received_at);
    reply.assign(ctx.scratch.begin(), ctx.scratch.begin() + 2 + static_cast<std::ptrdiff_t>(n));
    reply[0] = static_cast<std::uint8_t>(n >> 8);
    reply[1] = static_cast<std::uint8_t>(n);
    co_await asio::async_write(socket, asio::buffer(reply), with_ec);
    if (ec) break;
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  if (!me->released) ctx.connections.release(client);
  ctx.sessions.erase(me);
  ctx.open.fetch_sub(1, std::memory_order_relaxed);
}

bool is_descriptor_shortage(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec.value() == ENFILE;
}

}  // namespace

TcpListener::TcpListener(tcp::acceptor acceptor, SnapshotReader& snapshot, Responder& responder,
                         ConnectionTable& connections, TcpLimits limits,
                         TransferCounters& transfers, TransferServices& services,
                         QueryMetrics& metrics, DnstapLogger* dnstap)
    : acceptor_(std::move(acceptor)),
      snapshot_(snapshot),
      responder_(responder),
      connections_(connections),
      limits_(limits),
      pause_(acceptor_.get_executor()),
      transfers_(transfers),
      services_(services),
      metrics_(metrics),
      dnstap_(dnstap),
      scratch_(kMaxMessageSize + 2) {}

void TcpListener::start() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (is_descriptor_shortage(ec)) return out_of_descriptors(ec);
    if (!ec) accepted(std::move(socket));
    start();
  });
}

// EMFILE/ENFILE leave the connection in the backlog, so accepting again at once would fail
// again at once: make room, wait a moment, and say so once per episode.
void TcpListener::out_of_descriptors(const boost::system::error_code& ec) {
  if (!exhausted_)
    log_warning("TCP accept on " + acceptor_.local_endpoint().address().to_string() + ": " +
                ec.message() + "; closing idle connections and pausing accepts");
  exhausted_ = true;
  evict_idle(nullptr);
  pause_.expires_after(kExhaustionPause);
  pause_.async_wait([this](const boost::system::error_code& wait) {
    if (!wait) start();
  });
}

void TcpListener::accepted(tcp::socket socket) {
  if (exhausted_) {
    exhausted_ = false;
    log_info("TCP accept works again after running out of descriptors");
  }
  boost::system::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  const ClientKey client = ClientKey::of(peer.address());
  Admission admission = connections_.try_admit(client);
  if (admission != Admission::kAdmitted &&
      evict_idle(admission == Admission::kClientFull ? &client : nullptr))
    admission = connections_.try_admit(client);
  if (admission != Admission::kAdmitted) {
    log_debug("TCP connection from " + peer.address().to_string() +
              " refused: " + (admission == Admission::kClientFull ? "per-client" : "total") +
              " connection limit reached and no idle connection to close");
    return;
  }
  SessionContext ctx{snapshot_,  responder_, scratch_, limits_,   connections_, sessions_,
                     transfers_, services_,  metrics_, draining_, open_,        dnstap_};
  open_.fetch_add(1, std::memory_order_relaxed);
  asio::co_spawn(acceptor_.get_executor(),
                 serve_connection(std::move(socket), client,
                                  peer.address().is_v6() ? Family::kIpv6 : Family::kIpv4, ctx),
                 asio::detached);
}

bool TcpListener::evict_idle(const ClientKey* client) {
  for (auto& s : sessions_) {
    if (!s.idle || s.released || (client && !(s.client == *client))) continue;
    s.released = true;
    connections_.release(s.client);
    boost::system::error_code ignored;
    s.socket->close(ignored);
    return true;
  }
  return false;
}

void TcpListener::drain() {
  draining_ = true;
  boost::system::error_code ignored;
  pause_.cancel();
  acceptor_.close(ignored);
  for (auto& s : sessions_)
    if (s.idle) s.socket->close(ignored);  // its read ends at once, and with it the session
}

void TcpListener::close() {
  boost::system::error_code ignored;
  pause_.cancel();
  acceptor_.close(ignored);
}

}  // namespace apex::server
