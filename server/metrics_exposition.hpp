// The Prometheus text exposition format, version 0.0.4: "# HELP" and "# TYPE" once per
// family, then its samples; names prefixed apexd_, counters ending _total, base units.
#pragma once

#include <string>
#include <string_view>

#include "server/metrics_snapshot.hpp"

namespace apex::server {

// The Content-Type a scraper expects for this format.
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string render_metrics(const MetricsSnapshot& snapshot);

}  // namespace apex::server
