// TCP sessions as coroutines: they only move bytes and enforce limits; answers come from the
// shared Responder (RFC 7766 §6.2.1.1: queries on one connection are answered in order).
#include "server/tcp_listener.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <memory>

#include "server/log.hpp"

namespace apex::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// Closes the connection when a read or write takes longer than the idle time-out
// (RFC 7766 §6.2.3), so a slow or silent client cannot hold a connection.
class Deadline {
 public:
  Deadline(tcp::socket& socket, std::chrono::milliseconds timeout)
      : socket_(socket), timer_(socket.get_executor()), timeout_(timeout) {}
  void arm() {
    timer_.expires_after(timeout_);
    timer_.async_wait([s = &socket_, alive = alive_](const boost::system::error_code& ec) {
      boost::system::error_code ignored;
      if (!ec && *alive) s->close(ignored);
    });
  }
  ~Deadline() {
    *alive_ = false;
    timer_.cancel();
  }

 private:
  tcp::socket& socket_;
  asio::steady_timer timer_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

struct SessionContext {
  SnapshotReader& snapshot;
  Responder& responder;
  std::vector<std::uint8_t>& scratch;
  TcpLimits limits;
};

asio::awaitable<void> serve_connection(tcp::socket socket, SessionContext ctx,
                                       ConnectionCounter& connections) {
  Deadline deadline(socket, ctx.limits.idle_timeout);
  std::vector<std::uint8_t> request, reply;
  boost::system::error_code ec;
  auto with_ec = asio::redirect_error(asio::use_awaitable, ec);
  for (unsigned served = 0; ctx.limits.max_queries == 0 || served < ctx.limits.max_queries;
       ++served) {
    std::uint8_t prefix[2];
    deadline.arm();
    co_await asio::async_read(socket, asio::buffer(prefix), with_ec);
    if (ec) break;
    std::size_t length = static_cast<std::size_t>(prefix[0]) << 8 | prefix[1];
    if (length < kHeaderSize) break;  // cannot be a DNS message: end the stream
    request.resize(length);
    co_await asio::async_read(socket, asio::buffer(request), with_ec);
    if (ec) break;
    const Snapshot& snapshot = ctx.snapshot.refresh();
    std::size_t n =
        ctx.responder.respond(*snapshot.zones, *snapshot.aliases, request, Transport::kTcp,
                              {ctx.scratch.data() + 2, kMaxMessageSize});
    if (n == 0) continue;  // dropped (a response, QR=1): nothing to send
    reply.assign(ctx.scratch.begin(), ctx.scratch.begin() + 2 + static_cast<std::ptrdiff_t>(n));
    reply[0] = static_cast<std::uint8_t>(n >> 8);
    reply[1] = static_cast<std::uint8_t>(n);
    co_await asio::async_write(socket, asio::buffer(reply), with_ec);
    if (ec) break;
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  connections.release();
}

}  // namespace

TcpListener::TcpListener(tcp::acceptor acceptor, SnapshotReader& snapshot, Responder& responder,
                         ConnectionCounter& connections, TcpLimits limits)
    : acceptor_(std::move(acceptor)),
      snapshot_(snapshot),
      responder_(responder),
      connections_(connections),
      limits_(limits),
      scratch_(kMaxMessageSize + 2) {}

void TcpListener::start() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      if (connections_.try_acquire(limits_.max_connections)) {
        SessionContext ctx{snapshot_, responder_, scratch_, limits_};
        asio::co_spawn(acceptor_.get_executor(),
                       serve_connection(std::move(socket), ctx, connections_), asio::detached);
      } else {
        log_debug("TCP connection refused: connection limit reached");
      }
    }
    start();
  });
}

void TcpListener::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

}  // namespace apex::server
