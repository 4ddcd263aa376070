// A per-connection deadline for TCP sessions (RFC 7766 §6.2.3).
#pragma once

#include <chrono>
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace apex::server {

// Closes the connection when a read or write takes longer than the idle time-out
// (RFC 7766 §6.2.3), so a slow or silent client cannot hold a connection.
class Deadline {
 public:
  Deadline(boost::asio::ip::tcp::socket& socket, std::chrono::milliseconds timeout)
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
  boost::asio::ip::tcp::socket& socket_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace apex::server
