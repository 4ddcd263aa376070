// Logs a line of counters at a fixed interval (and once at shutdown), so an operator sees
// query volume, stale ALIAS answers and flattener and resolver health in the log.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/log.hpp"

namespace apex::server {

class StatsReporter {
 public:
  using Line = std::function<std::string()>;
  StatsReporter(boost::asio::io_context& io, std::chrono::seconds interval, Line line)
      : timer_(io), interval_(interval), line_(std::move(line)) {}
  ~StatsReporter() { log_info(line_()); }

  void start() {
    if (interval_.count() == 0) return;
    timer_.expires_after(interval_);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      log_info(line_());
      start();
    });
  }

 private:
  boost::asio::steady_timer timer_;
  std::chrono::seconds interval_;
  Line line_;
};

}  // namespace apex::server
