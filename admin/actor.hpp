// Who makes a change, as the change log records it.
#pragma once

#include <string>
#include <string_view>

#include "admin/environment.hpp"
#include "zones/result.hpp"

namespace apex::admin {

// The person behind the command: $SUDO_USER (the operator who ran sudo, not "root"), else
// $USER, else "uid N".
std::string default_actor(const Environment& env);

// A --actor value: 1 to 128 characters without control characters (it is printed in logs).
Result<std::string> actor_argument(std::string_view text);

}  // namespace apex::admin
