// Numbers in presentation form: decimal fields (RFC 1035 §5.1) and BIND-style TTL units.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace apex {

// Unsigned decimal digits only (no sign, no spaces), at most max; nullopt otherwise.
std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max);

// A time value in seconds: plain digits ("3600") or BIND units, case-insensitive, summed
// ("1h", "2d", "1w30m"; s m h d w). nullopt if malformed or above 4294967295.
std::optional<std::uint32_t> parse_time_value(std::string_view text);

}  // namespace apex
