// Specification of exclusive listening addresses: an address held by anyone else is refused,
// port 0 becomes one port free for both UDP and TCP.
#include "server/listen_claim.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

using namespace apex::server;
namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {
const auto kLoopback = asio::ip::make_address("127.0.0.1");
}

TEST_CASE("port 0 becomes a port free for UDP and TCP") {
  auto claimed = claim_listen_addresses({udp::endpoint(kLoopback, 0)});
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 1);
  const auto port = claimed->front().port();
  CHECK(port != 0);
  asio::io_context io;
  udp::socket u(io, udp::endpoint(kLoopback, port));
  tcp::acceptor t(io, tcp::endpoint(kLoopback, port));
}

TEST_CASE("an address held by another socket, even with SO_REUSEPORT, is refused") {
  asio::io_context io;
  udp::socket held(io);
  held.open(udp::v4());
  held.set_option(asio::socket_base::reuse_address(true));
  held.set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
  held.bind(udp::endpoint(kLoopback, 0));
  const auto port = held.local_endpoint().port();
  auto claimed = claim_listen_addresses({udp::endpoint(kLoopback, port)});
  REQUIRE_FALSE(claimed);
  CHECK(claimed.error().find("UDP 127.0.0.1:" + std::to_string(port)) == 0);
  CHECK(claimed.error().find("another process serves it") != std::string::npos);
}

TEST_CASE("a TCP listener on the address is refused too") {
  asio::io_context io;
  tcp::acceptor held(io, tcp::endpoint(kLoopback, 0));
  const auto port = held.local_endpoint().port();
  auto claimed = claim_listen_addresses({udp::endpoint(kLoopback, port)});
  REQUIRE_FALSE(claimed);
  CHECK(claimed.error().find("TCP 127.0.0.1:" + std::to_string(port)) == 0);
}
