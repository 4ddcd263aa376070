// One upstream exchange: random-port UDP, RFC 5452 §9.1 response matching, TCP retry on TC=1
// with 2-octet length framing (RFC 1035 §4.2.2, RFC 7766 §5).
#include "flatten/upstream_exchange.hpp"

#include <span>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "flatten/response_classifier.hpp"
#include "flatten/socket_deadline.hpp"
#include "flatten/source_port_socket.hpp"
#include "flatten/upstream_query.hpp"

namespace apex::flatten {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

// Room for any datagram, so an oversized one is seen whole (and then ignored or rejected)
// rather than silently cut.
constexpr std::size_t kMaxDatagram = 65535;

ExchangeOutcome failure(UpstreamStatus status, std::string detail) {
  ExchangeOutcome out;
  out.result.status = status;
  out.result.detail = std::move(detail);
  return out;
}

// A failed socket operation at step ("UDP receive", "TCP connect", …): a time-out when the
// deadline closed the socket, else the network error.
template <class Socket>
ExchangeOutcome transport_failure(const SocketDeadline<Socket>& deadline,
                                  const boost::system::error_code& ec, std::string_view step,
                                  std::chrono::milliseconds timeout) {
  if (deadline.expired())
    return failure(UpstreamStatus::kTimeout, "time-out after " + std::to_string(timeout.count()) +
                                                 " ms (" + std::string(step) + ")");
  return failure(UpstreamStatus::kNetworkError, std::string(step) + " failed: " + ec.message());
}

ExchangeOutcome classify(std::span<const std::uint8_t> packet, const UpstreamQuery& query) {
  auto decoded = decode_message(packet);
  if (!decoded) return failure(UpstreamStatus::kMalformed, decoded.error());
  return ExchangeOutcome{classify_response(*decoded, query.qtype), 0};
}

std::vector<std::uint8_t> length_framed(const std::vector<std::uint8_t>& message) {
  std::vector<std::uint8_t> out;
  out.reserve(message.size() + 2);
  out.push_back(static_cast<std::uint8_t>(message.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(message.size()));
  out.insert(out.end(), message.begin(), message.end());
  return out;
}

// RFC 7766 §5: after TC=1, the same question to the same resolver over TCP. TCP's handshake
// already proves the peer's address, but the response must still answer our question.
asio::awaitable<ExchangeOutcome> exchange_tcp(const udp::endpoint& resolver,
                                              const UpstreamQuery& query,
                                              std::chrono::milliseconds timeout) {
  auto socket = std::make_shared<tcp::socket>(co_await asio::this_coro::executor);
  SocketDeadline deadline(socket, timeout);
  boost::system::error_code ec;
  auto with_ec = asio::redirect_error(asio::use_awaitable, ec);
  co_await socket->async_connect(tcp::endpoint(resolver.address(), resolver.port()), with_ec);
  if (ec) co_return transport_failure(deadline, ec, "TCP connect", timeout);
  const auto request = length_framed(query.wire());
  co_await asio::async_write(*socket, asio::buffer(request), with_ec);
  if (ec) co_return transport_failure(deadline, ec, "TCP send", timeout);
  std::uint8_t prefix[2];
  co_await asio::async_read(*socket, asio::buffer(prefix), with_ec);
  if (ec) co_return transport_failure(deadline, ec, "TCP receive", timeout);
  std::vector<std::uint8_t> response(static_cast<std::size_t>(prefix[0]) << 8 | prefix[1]);
  co_await asio::async_read(*socket, asio::buffer(response), with_ec);
  if (ec) co_return transport_failure(deadline, ec, "TCP receive", timeout);

  auto head = decode_header_and_question(response);
  if (!head || !query.is_answered_by(*head))
    co_return failure(UpstreamStatus::kMalformed, "TCP response does not answer the query");
  ExchangeOutcome out = classify(response, query);
  out.result.detail += " (TCP)";
  co_return out;
}

// Waits for the genuine response (RFC 5452 §9.1): from the resolver's exact address and port,
// with our ID and question. Anything else is counted and ignored, and waiting goes on.
asio::awaitable<ExchangeOutcome> await_response(udp::socket& socket,
                                                const SocketDeadline<udp::socket>& deadline,
                                                const udp::endpoint& resolver,
                                                const UpstreamQuery& query,
                                                std::chrono::milliseconds timeout) {
  std::vector<std::uint8_t> buffer(kMaxDatagram);
  std::uint64_t mismatched = 0;
  boost::system::error_code ec;
  for (;;) {
    udp::endpoint from;
    const std::size_t n = co_await socket.async_receive_from(
        asio::buffer(buffer), from, asio::redirect_error(asio::use_awaitable, ec));
    ExchangeOutcome out;
    if (ec) {
      out = transport_failure(deadline, ec, "UDP receive", timeout);
    } else {
      const std::span<const std::uint8_t> packet(buffer.data(), n);
      auto head = decode_header_and_question(packet);
      if (from != resolver || !head || !query.is_answered_by(*head)) {
        ++mismatched;
        continue;
      }
      // The header is genuine; a truncated body may not even decode, so TC is looked at first.
      if (head->truncated())
        out = co_await exchange_tcp(resolver, query, timeout);
      else
        out = classify(packet, query);
    }
    out.mismatched = mismatched;
    co_return out;
  }
}

}  // namespace

asio::awaitable<ExchangeOutcome> exchange(udp::endpoint resolver, Name qname, RRType qtype,
                                          std::chrono::milliseconds timeout, QueryIdSource& ids) {
  auto id = ids.query_id();
  if (!id) co_return failure(UpstreamStatus::kNetworkError, id.error());
  const UpstreamQuery query{*id, std::move(qname), qtype};
  auto socket =
      open_source_port_socket(co_await asio::this_coro::executor, resolver.protocol(), ids);
  if (!socket) co_return failure(UpstreamStatus::kNetworkError, socket.error());
  SocketDeadline deadline(*socket, timeout);

  boost::system::error_code ec;
  const auto request = query.wire();
  co_await (*socket)->async_send_to(asio::buffer(request), resolver,
                                    asio::redirect_error(asio::use_awaitable, ec));
  ExchangeOutcome out;
  if (ec)
    out = transport_failure(deadline, ec, "UDP send", timeout);
  else
    out = co_await await_response(**socket, deadline, resolver, query, timeout);
  out.result.resolver = resolver;
  co_return out;
}

}  // namespace apex::flatten
