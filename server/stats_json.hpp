// The counters `apexctl stats` shows, as one JSON object: the numbers of the periodic stats
// log line (StatsReporter), as values.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/alias_service.hpp"
#include "server/notifier.hpp"
#include "server/worker.hpp"

namespace apex::server {

std::string stats_json(const std::vector<std::unique_ptr<Worker>>& workers,
                       const Notifier& notifier, const AliasService& aliases);

}  // namespace apex::server
