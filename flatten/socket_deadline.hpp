// The per-try time-out of an upstream exchange (RFC 5452 §9.1: wait for the genuine response
// only so long): closes the socket when time runs out, which ends the pending operation and
// makes every later one fail at once.
#pragma once

#include <chrono>
#include <memory>

#include <boost/asio/steady_timer.hpp>

namespace apex::flatten {

template <class Socket>
class SocketDeadline {
 public:
  // The timer shares ownership of the socket, so a close that races the end of the exchange
  // still lands on a live object.
  SocketDeadline(std::shared_ptr<Socket> socket, std::chrono::steady_clock::duration timeout)
      : timer_(socket->get_executor()) {
    timer_.expires_after(timeout);
    timer_.async_wait(
        [socket = std::move(socket), expired = expired_](const boost::system::error_code& ec) {
          if (ec) return;  // cancelled: the exchange ended in time
          *expired = true;
          boost::system::error_code ignored;
          socket->close(ignored);
        });
  }
  ~SocketDeadline() { timer_.cancel(); }
  SocketDeadline(const SocketDeadline&) = delete;
  SocketDeadline& operator=(const SocketDeadline&) = delete;

  // Whether an operation failed because time ran out rather than for a network reason.
  bool expired() const { return *expired_; }

 private:
  std::shared_ptr<bool> expired_ = std::make_shared<bool>(false);
  boost::asio::steady_timer timer_;
};

}  // namespace apex::flatten
