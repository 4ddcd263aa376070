// Rendering control socket replies (see control_reply.hpp).
#include "server/control_reply.hpp"

namespace apex::server {

std::string control_ok(const JsonObject& body) {
  std::string out = "{\"ok\": true";
  if (!body.members().empty()) out += ", " + body.members();
  return out + "}\n";
}

std::string control_error(std::string_view message) {
  return "{\"ok\": false, \"error\": " + json_string(message) + "}\n";
}

}  // namespace apex::server
