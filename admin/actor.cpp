// Who makes a change, as the change log records it.
#include "admin/actor.hpp"

#include "admin/arguments.hpp"

namespace apex::admin {
namespace {

constexpr std::size_t kMaxActorLength = 128;

}  // namespace

std::string default_actor(const Environment& env) {
  for (const char* variable : {"SUDO_USER", "USER"}) {
    auto value = env.variable ? env.variable(variable) : std::nullopt;
    if (value && actor_argument(*value)) return *value;
  }
  return "uid " + std::to_string(env.uid);
}

Result<std::string> actor_argument(std::string_view text) {
  if (!is_log_text(text, kMaxActorLength)) {
    return Error{"invalid actor '" + std::string(text) + "': expected 1 to " +
                 std::to_string(kMaxActorLength) + " characters without control characters"};
  }
  return std::string(text);
}

}  // namespace apex::admin
