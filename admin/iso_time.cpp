// Timestamps as apexctl prints them: ISO 8601 in UTC with milliseconds (RFC 3339 §5.6).
#include "admin/iso_time.hpp"

#include <chrono>
#include <cstdio>

namespace apex::admin {

std::string iso8601_utc(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> at{milliseconds(unix_ms)};
  const auto day = floor<days>(at);
  const year_month_day date(day);
  const hh_mm_ss<milliseconds> time(at - day);
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return text;
}

}  // namespace apex::admin
