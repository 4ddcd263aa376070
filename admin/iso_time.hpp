// Timestamps as apexctl prints them: ISO 8601 in UTC with milliseconds (RFC 3339 §5.6).
#pragma once

#include <cstdint>
#include <string>

namespace apex::admin {

// "2024-05-01T12:00:00.123Z" for milliseconds since the Unix epoch.
std::string iso8601_utc(std::int64_t unix_ms);

}  // namespace apex::admin
