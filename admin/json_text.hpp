// JSON string literals for apexctl's --json output (RFC 8259 §7).
#pragma once

#include <string>
#include <string_view>

namespace apex::admin {

// text as a quoted JSON string. Presentation-form names and RDATA are ASCII (other octets
// are \DDD-escaped), so escaping quotes, backslashes and control characters suffices.
std::string json_string(std::string_view text);

}  // namespace apex::admin
