// Open-file limits: apexd raises its soft descriptor limit to the hard limit at start (the
// common default of 1,024 is far below what a TCP-serving daemon needs), and sizes its TCP
// connection limit to what fits beside the descriptors it needs for everything else.
#pragma once

#include <string>

#include "server/config.hpp"

namespace apex::server {

// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the soft limit now in force.
unsigned raise_descriptor_limit();

// Descriptors kept for listeners, the database, inotify, the flattener's upstream sockets and
// health probes, and log output.
unsigned reserved_descriptors(const Config& config);

// The TCP connection limit that fits in limit descriptors (at least 1).
unsigned tcp_connections_that_fit(unsigned limit, const Config& config);

}  // namespace apex::server
