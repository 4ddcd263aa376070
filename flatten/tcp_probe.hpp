// A health probe of one address (ARCHITECTURE.md §5): does a TCP connection to the port open within
// the time-out? The connection is closed at once; nothing is sent.
#pragma once

#include <chrono>
#include <utility>  // boost/asio/awaitable.hpp of Boost 1.74 uses std::exchange unincluded

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <string>

namespace apex::flatten {

struct ProbeOutcome {
  bool healthy = false;
  std::string error;  // what failed: "Connection refused", "time-out after 2000 ms"
};

// Runs on the calling coroutine's executor.
boost::asio::awaitable<ProbeOutcome> probe_tcp(boost::asio::ip::tcp::endpoint endpoint,
                                               std::chrono::milliseconds timeout);

}  // namespace apex::flatten
