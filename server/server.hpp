// apexd's lifecycle: load the database, publish the first snapshot, run the workers until
// SIGTERM or SIGINT, then stop cleanly.
#pragma once

#include "server/config.hpp"

namespace apex::server {

// Returns the process exit status.
int run_server(const Config& config);

}  // namespace apex::server
