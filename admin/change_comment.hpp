// Why a change was made (--comment TEXT), as the change log keeps it beside what changed.
#pragma once

#include <string>
#include <string_view>

#include "zones/result.hpp"

namespace apex::admin {

// A --comment value: 1 to 1000 characters without control characters, so that it stays one
// line in 'apexctl log' and cannot forge the lines of an entry.
Result<std::string> comment_argument(std::string_view text);

}  // namespace apex::admin
