// How a zone's SOA serial moves on a change (ARCHITECTURE.md §6), in RFC 1982 serial arithmetic.
#include "admin/serial_policy.hpp"

#include "zones/soa_serial.hpp"

namespace apex::admin {

std::optional<SerialPolicy> serial_policy_from_text(std::string_view text) {
  if (text == "increment") return SerialPolicy::kIncrement;
  if (text == "date") return SerialPolicy::kDate;
  return std::nullopt;
}

std::string_view serial_policy_to_text(SerialPolicy policy) {
  return policy == SerialPolicy::kDate ? "date" : "increment";
}

std::uint32_t date_serial(std::chrono::year_month_day day) {
  const auto year = static_cast<std::uint32_t>(static_cast<int>(day.year()));
  const auto month = static_cast<std::uint32_t>(static_cast<unsigned>(day.month()));
  const auto dom = static_cast<std::uint32_t>(static_cast<unsigned>(day.day()));
  return ((year * 100 + month) * 100 + dom) * 100;
}

std::uint32_t initial_serial(SerialPolicy policy, std::chrono::year_month_day today) {
  return policy == SerialPolicy::kDate ? date_serial(today) : 1;
}

std::uint32_t changed_serial(SerialPolicy policy, std::uint32_t current, std::uint32_t proposed,
                             std::chrono::year_month_day today) {
  // RFC 1982 §3.1: + 1 wraps modulo 2^32, and the result is still "greater".
  std::uint32_t next = current + 1;
  if (policy == SerialPolicy::kDate && serial_greater(date_serial(today), current)) {
    next = date_serial(today);
  }
  // Both comparisons: a proposal exactly 2^31 ahead of current is "greater" than next but
  // undefined against current (RFC 1982 §3.2), and secondaries might ignore it.
  return serial_greater(proposed, next) && serial_greater(proposed, current) ? proposed : next;
}

std::chrono::year_month_day utc_date(std::chrono::system_clock::time_point now) {
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now));
}

}  // namespace apex::admin
