// How a zone's SOA serial moves on a change (ARCHITECTURE.md §6): by one, or date-based YYYYMMDDnn.
// Either way it never goes backwards in RFC 1982 serial arithmetic.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace apex::admin {

enum class SerialPolicy {
  kIncrement,  // serial + 1
  kDate,       // YYYYMMDDnn with today's UTC date, nn from 00; serial + 1 once that is not ahead
};

std::optional<SerialPolicy> serial_policy_from_text(std::string_view text);
std::string_view serial_policy_to_text(SerialPolicy policy);

// YYYYMMDD00 for day (fits 32 bits until the year 4294).
std::uint32_t date_serial(std::chrono::year_month_day day);

// The serial of a brand-new zone: 1, or today's YYYYMMDD00.
std::uint32_t initial_serial(SerialPolicy policy, std::chrono::year_month_day today);

// The serial after a change of a zone whose serial was current. proposed is the serial the
// change itself brings (an imported file's, an SOA set by hand; current when it brings none):
// it is kept when it is ahead of what the policy gives, so an operator can jump forward,
// never back.
std::uint32_t changed_serial(SerialPolicy policy, std::uint32_t current, std::uint32_t proposed,
                             std::chrono::year_month_day today);

// Today's date in UTC.
std::chrono::year_month_day utc_date(std::chrono::system_clock::time_point now);

}  // namespace apex::admin
