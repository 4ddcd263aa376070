// Worker sockets: SO_REUSEPORT lets every worker bind the same address so the kernel spreads
// datagrams and connections across them; IPv6 sockets are IPv6-only so v4 and v6 coexist.
#include "server/worker.hpp"

#include <sys/socket.h>

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>

#include "flatten/endpoint_text.hpp"
#include "server/log.hpp"
#include "server/udp_receive_buffer.hpp"

namespace apex::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

template <class Socket, class Endpoint>
Status prepare(Socket& s, const Endpoint& ep) {
  boost::system::error_code ec;
  s.open(ep.protocol(), ec);
  if (!ec) s.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.set_option(ReusePort(true), ec);
  if (!ec && ep.address().is_v6()) s.set_option(asio::ip::v6_only(true), ec);
  if (!ec) s.bind(ep, ec);
  if (ec) return Error{ec.message()};
  return Ok{};
}

// What the responder tells of this server; the configuration checked the lengths.
ServerIdentity identity_of(const Config& config) {
  auto made =
      ServerIdentity::make(config.identity, config.hide_version ? "" : "apexdns " APEXDNS_VERSION);
  return made ? std::move(*made) : ServerIdentity{};
}

}  // namespace

Worker::Worker(const Config& config, const SnapshotStore& store, ConnectionTable& connections,
               TransferServices& services, const RrlSettingsStore& rrl, DnstapLogger* dnstap)
    : snapshot_(store),
      responder_(config.max_udp_payload, identity_of(config)),
      rrl_(rrl, rrl_counters_, [](const std::string& line) { log_info(line); }),
      connections_(connections),
      services_(services),
      dnstap_(dnstap) {}

Worker::~Worker() {
  stop();
}

Status Worker::open(const Config& config) {
  TcpLimits limits{std::chrono::milliseconds(config.tcp_idle_timeout_ms), config.tcp_max_queries};
  for (const auto& ep : config.listen) {
    udp::socket u(io_);
    if (auto ok = prepare(u, ep); !ok)
      return Error{"UDP " + flatten::endpoint_text(ep) + ": " + ok.error()};
    const std::size_t granted = widen_receive_buffer(u.native_handle(), config.udp_receive_buffer);
    if (udp_.empty() || granted < udp_receive_buffer_) udp_receive_buffer_ = granted;
    udp_.push_back(std::make_unique<UdpListener>(
        std::move(u), snapshot_, responder_, services_.journal, metrics_, rrl_, config.udp_batch,
        config.max_udp_payload, dnstap_));
    tcp::acceptor a(io_);
    tcp::endpoint tep(ep.address(), ep.port());
    auto ok = prepare(a, tep);
    boost::system::error_code ec;
    if (ok) a.listen(asio::socket_base::max_listen_connections, ec);
    if (!ok || ec)
      return Error{"TCP " + flatten::endpoint_text(ep) + ": " + (ok ? ec.message() : ok.error())};
    tcp_.push_back(std::make_unique<TcpListener>(std::move(a), snapshot_, responder_, connections_,
                                                 limits, transfers_, services_, metrics_, dnstap_));
  }
  return Ok{};
}

void Worker::start() {
  for (auto& u : udp_) u->start();
  for (auto& t : tcp_) t->start();
  thread_ = std::thread([this] { io_.run(); });
}

void Worker::drain() {
  asio::post(io_, [this] {
    for (auto& t : tcp_) t->drain();
  });
}

std::size_t Worker::open_connections() const {
  std::size_t open = 0;
  for (const auto& t : tcp_) open += t->open_connections();
  return open;
}

void Worker::stop() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
  // The loop no longer runs, so the sockets can be closed from this thread.
  for (auto& u : udp_) u->close();
  for (auto& t : tcp_) t->close();
}

}  // namespace apex::server
