// Binds each upstream query's UDP socket to a random source port (RFC 5452 §9.2, §10).
#include "flatten/source_port_socket.hpp"

#include <string>

#include <boost/asio/error.hpp>

namespace apex::flatten {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;

// Most ports are free on a server; a handful of draws finds one unless the host is exhausted.
constexpr int kMaxBindAttempts = 16;

bool port_taken(const boost::system::error_code& ec) {
  return ec == asio::error::address_in_use || ec == asio::error::access_denied;
}

}  // namespace

Result<std::shared_ptr<udp::socket>> open_source_port_socket(const asio::any_io_executor& executor,
                                                             udp protocol, QueryIdSource& ids) {
  auto socket = std::make_shared<udp::socket>(executor);
  boost::system::error_code ec;
  socket->open(protocol, ec);
  if (ec) return Error{"cannot open a UDP socket: " + ec.message()};
  const auto any = protocol == udp::v4() ? asio::ip::address(asio::ip::address_v4::any())
                                         : asio::ip::address(asio::ip::address_v6::any());
  for (int attempt = 0; attempt < kMaxBindAttempts; ++attempt) {
    auto port = ids.source_port();
    if (!port) return Error{port.error()};
    socket->bind(udp::endpoint(any, *port), ec);
    if (!ec) return socket;
    if (!port_taken(ec)) return Error{"cannot bind a UDP source port: " + ec.message()};
  }
  return Error{"no free UDP source port after " + std::to_string(kMaxBindAttempts) + " attempts"};
}

}  // namespace apex::flatten
