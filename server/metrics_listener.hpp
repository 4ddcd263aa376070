// The metrics HTTP endpoint: GET /metrics (Prometheus text), /healthz (the process runs) and
// /readyz (zones loaded and serving). Its own thread and event loop, so a slow scraper never
// holds a worker; started before the zones load, so /readyz can say "not yet".
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>  // boost/asio/awaitable.hpp of Boost 1.74 uses std::exchange unincluded

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include "server/http_request.hpp"
#include "server/readiness.hpp"
#include "zones/result.hpp"

namespace apex::server {

class MetricsListener {
 public:
  // Renders the /metrics body; called on the listener's thread.
  using Render = std::function<std::string()>;

  // Until a source is set, /metrics serves every series at zero.
  explicit MetricsListener(const Readiness& readiness) : readiness_(readiness) {}
  ~MetricsListener();

  // Binds and starts the thread; the error names the address.
  Status start(const boost::asio::ip::udp::endpoint& address);
  // The scrape source from now on; nullptr goes back to zeros. Returns once no scrape
  // uses the previous source any more, so its objects may then be destroyed.
  void set_source(Render render);
  void stop();

 private:
  void accept();
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);
  std::string answer(const HttpVerdict& verdict);
  std::string metrics();

  const Readiness& readiness_;
  std::mutex source_mutex_;
  Render source_;
  boost::asio::io_context io_{1};
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  unsigned clients_ = 0;  // on the listener's thread only
  std::thread thread_;
};

}  // namespace apex::server
