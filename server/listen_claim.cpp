// Exclusive listening addresses (see listen_claim.hpp).
#include "server/listen_claim.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>

#include "flatten/endpoint_text.hpp"

namespace apex::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

// Tries for a port 0 address: the port the kernel gives for UDP may be taken for TCP.
constexpr int kEphemeralTries = 16;

boost::system::error_code bind_alone(udp::socket& s, const udp::endpoint& ep) {
  boost::system::error_code ec;
  s.open(ep.protocol(), ec);
  if (!ec && ep.address().is_v6()) s.set_option(asio::ip::v6_only(true), ec);
  if (!ec) s.bind(ep, ec);
  return ec;
}

// Holds both probes while the other is bound, so port 0 yields one port free for both.
Result<udp::endpoint> claim(asio::io_context& io, udp::endpoint ep) {
  udp::socket u(io);
  if (auto ec = bind_alone(u, ep))
    return Error{"UDP " + flatten::endpoint_text(ep) + ": " + ec.message() +
                 (ec == asio::error::address_in_use ? " (another process serves it)" : "")};
  udp::endpoint bound(ep.address(), u.local_endpoint().port());
  const tcp::endpoint stream(bound.address(), bound.port());
  tcp::acceptor t(io);
  boost::system::error_code ec;
  t.open(stream.protocol(), ec);
  // SO_REUSEADDR only lets the bind pass connections in TIME_WAIT; a listening socket of any
  // kind still makes it fail (Linux inet_csk_bind_conflict).
  if (!ec) t.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && bound.address().is_v6()) t.set_option(asio::ip::v6_only(true), ec);
  if (!ec) t.bind(stream, ec);
  if (ec)
    return Error{"TCP " + flatten::endpoint_text(bound) + ": " + ec.message() +
                 (ec == asio::error::address_in_use ? " (another process serves it)" : "")};
  return bound;
}

}  // namespace

Result<std::vector<udp::endpoint>> claim_listen_addresses(
    const std::vector<udp::endpoint>& wanted) {
  asio::io_context io;
  std::vector<udp::endpoint> out;
  for (const auto& ep : wanted) {
    auto bound = claim(io, ep);
    for (int i = 1; !bound && ep.port() == 0 && i < kEphemeralTries; ++i) bound = claim(io, ep);
    if (!bound) return Error{bound.error()};
    out.push_back(*bound);
  }
  return out;
}

}  // namespace apex::server
