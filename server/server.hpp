// apexd's lifecycle: load the database, publish the first snapshot, run the workers until
// SIGTERM or SIGINT (SIGHUP re-reads the configuration), then stop cleanly.
#pragma once

#include <functional>

#include "server/config.hpp"

namespace apex::server {

// Reads the configuration again (the file and the command line), for SIGHUP.
using ConfigReader = std::function<Result<Config>()>;

// Returns the process exit status.
int run_server(Config config, const ConfigReader& reread);

}  // namespace apex::server
