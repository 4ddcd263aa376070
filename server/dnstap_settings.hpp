// [dnstap]: the query log apexd writes to a Frame Streams collector (https://dnstap.info).
#pragma once

#include <string>

namespace apex::server {

struct DnstapSettings {
  std::string socket;          // the collector's AF_UNIX socket; empty: no dnstap log
  bool log_queries = true;     // AUTH_QUERY messages
  bool log_responses = true;   // AUTH_RESPONSE messages
  std::string identity;        // empty: [server] identity, else the host name
  unsigned queue_size = 1024;  // frames waiting per worker thread; a power of two (fstrm)

  bool enabled() const { return !socket.empty(); }
  friend bool operator==(const DnstapSettings&, const DnstapSettings&) = default;
};

}  // namespace apex::server
