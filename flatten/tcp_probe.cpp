// TCP connect probes with a time-out (ARCHITECTURE.md §5 health checks).
#include "flatten/tcp_probe.hpp"

#include <memory>
#include <string>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "flatten/socket_deadline.hpp"

namespace apex::flatten {

namespace asio = boost::asio;
using asio::ip::tcp;

asio::awaitable<ProbeOutcome> probe_tcp(tcp::endpoint endpoint, std::chrono::milliseconds timeout) {
  auto socket = std::make_shared<tcp::socket>(co_await asio::this_coro::executor);
  boost::system::error_code ec;
  socket->open(endpoint.protocol(), ec);
  if (ec) co_return ProbeOutcome{false, "cannot open a socket: " + ec.message()};
  SocketDeadline<tcp::socket> deadline(socket, timeout);
  co_await socket->async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
  if (deadline.expired())
    co_return ProbeOutcome{false, "time-out after " + std::to_string(timeout.count()) + " ms"};
  if (ec) co_return ProbeOutcome{false, ec.message()};
  boost::system::error_code ignored;
  socket->close(ignored);
  co_return ProbeOutcome{true, {}};
}

}  // namespace apex::flatten
