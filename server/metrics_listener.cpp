// A minimal HTTP/1.1 server (RFC 9112) on Boost.Asio coroutines: one request per connection,
// answered with Connection: close, for scrapers and health checkers.
#include "server/metrics_listener.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "flatten/endpoint_text.hpp"
#include "server/http_request.hpp"
#include "server/io_deadline.hpp"
#include "server/metrics_exposition.hpp"

namespace apex::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// A scraper sends its request at once; a client idle longer is closed.
constexpr std::chrono::milliseconds kIdleTimeout{5000};
// Connections served at once; more are closed as they arrive.
constexpr unsigned kMaxClients = 16;

std::string response(std::string_view status, std::string_view content_type, std::string_view body,
                     std::string_view extra_header = {}) {
  std::string out = "HTTP/1.1 ";
  out += status;
  out += "\r\nContent-Type: ";
  out += content_type;
  out += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  out += extra_header;
  out += "Connection: close\r\n\r\n";
  out += body;
  return out;
}

std::string plain(std::string_view status, std::string_view body,
                  std::string_view extra_header = {}) {
  return response(status, "text/plain; charset=utf-8", body, extra_header);
}

}  // namespace

MetricsListener::~MetricsListener() {
  stop();
}

Status MetricsListener::start(const asio::ip::udp::endpoint& address) {
  const tcp::endpoint ep(address.address(), address.port());
  boost::system::error_code ec;
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{"metrics " + flatten::endpoint_text(address) + ": " + ec.message()};
  accept();
  thread_ = std::thread([this] { io_.run(); });
  return Ok{};
}

void MetricsListener::set_source(Render render) {
  std::lock_guard lock(source_mutex_);
  source_ = std::move(render);
}

std::string MetricsListener::metrics() {
  std::lock_guard lock(source_mutex_);
  return source_ ? source_() : render_metrics(empty_metrics_snapshot(APEXDNS_VERSION));
}

void MetricsListener::stop() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void MetricsListener::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec && clients_ < kMaxClients) {
      ++clients_;
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
    accept();  // beyond kMaxClients the socket closes as it goes out of scope
  });
}

asio::awaitable<void> MetricsListener::serve(tcp::socket socket) {
  Deadline deadline(socket, kIdleTimeout);
  deadline.arm();
  std::string received;
  char buffer[2048];
  boost::system::error_code ec;
  auto with_ec = asio::redirect_error(asio::use_awaitable, ec);
  HttpVerdict verdict;
  while (verdict.kind == HttpVerdict::kIncomplete) {
    const std::size_t n = co_await socket.async_read_some(asio::buffer(buffer), with_ec);
    if (ec) break;
    received.append(buffer, n);
    verdict = judge_http_request(received);
  }
  if (!ec) {
    const std::string reply = answer(verdict);
    co_await asio::async_write(socket, asio::buffer(reply), with_ec);
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  --clients_;
}

std::string MetricsListener::answer(const HttpVerdict& verdict) {
  switch (verdict.kind) {
    case HttpVerdict::kIncomplete:
    case HttpVerdict::kBadRequest:
      return plain("400 Bad Request", "bad request\n");
    case HttpVerdict::kNotFound:
      return plain("404 Not Found", "not found: /metrics, /healthz, /readyz\n");
    case HttpVerdict::kMethodNotAllowed:
      return plain("405 Method Not Allowed", "only GET\n", "Allow: GET\r\n");
    case HttpVerdict::kRoute:
      break;
  }
  switch (verdict.target) {
    case HttpTarget::kHealthz:
      return plain("200 OK", "ok\n");
    case HttpTarget::kReadyz:
      switch (readiness_.get()) {
        case ReadinessState::kServing:
          return plain("200 OK", "serving\n");
        case ReadinessState::kLoading:
          return plain("503 Service Unavailable", "loading zones\n");
        case ReadinessState::kDraining:
          return plain("503 Service Unavailable", "draining\n");
      }
      break;
    case HttpTarget::kMetrics:
      break;
  }
  return response("200 OK", kMetricsContentType, metrics());
}

}  // namespace apex::server
