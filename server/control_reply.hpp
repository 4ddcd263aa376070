// Control socket replies: one JSON object per request, ended by a newline. Every reply has
// "ok"; a failed one has "error" with why, a successful one the command's members.
#pragma once

#include <string>
#include <string_view>

#include "zones/json_text.hpp"

namespace apex::server {

// {"ok": true, <body's members>}
std::string control_ok(const JsonObject& body);
// {"ok": false, "error": message}
std::string control_error(std::string_view message);

}  // namespace apex::server
