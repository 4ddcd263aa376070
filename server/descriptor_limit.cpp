// Descriptor budget (see descriptor_limit.hpp).
#include "server/descriptor_limit.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <limits>

namespace apex::server {

unsigned raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return static_cast<unsigned>(
      std::min<rlim_t>(limit.rlim_cur, std::numeric_limits<unsigned>::max()));
}

unsigned reserved_descriptors(const Config& config) {
  // Per worker: one UDP and one TCP socket per address, its event loop's epoll and eventfd.
  const unsigned listeners = config.threads * (2 * static_cast<unsigned>(config.listen.size()) + 2);
  // SQLite (database, WAL, shared memory, for the follower and the flattener's state store),
  // inotify, the control loop, stdio and slack for libraries.
  constexpr unsigned kBase = 64;
  return kBase + listeners + config.flatten.max_in_flight +
         config.flatten.policy.max_concurrent_probes;
}

unsigned tcp_connections_that_fit(unsigned limit, const Config& config) {
  const unsigned reserved = reserved_descriptors(config);
  const unsigned room = limit > reserved ? limit - reserved : 1;
  return std::max(1u, std::min(config.tcp_max_connections, room));
}

}  // namespace apex::server
