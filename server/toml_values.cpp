// Integers and endpoint lists from toml++ nodes, for both sections of apexd's configuration.
#include "server/toml_values.hpp"

#include <string>

#include "server/config.hpp"

namespace apex::server {

Result<std::int64_t> toml_integer(const toml::node& node, std::string_view key, std::int64_t lo,
                                  std::int64_t hi) {
  auto v = node.value<std::int64_t>();
  if (!node.is_integer() || !v || *v < lo || *v > hi)
    return Error{std::string(key) + " must be an integer from " + std::to_string(lo) + " to " +
                 std::to_string(hi)};
  return *v;
}

Result<std::vector<boost::asio::ip::udp::endpoint>> toml_endpoints(const toml::node& node,
                                                                   std::string_view key,
                                                                   std::string_view form,
                                                                   std::string_view what) {
  const std::string wrong =
      std::string(key) + " must be an array of \"" + std::string(form) + "\" strings";
  const toml::array* list = node.as_array();
  if (!list) return Error{wrong};
  std::vector<boost::asio::ip::udp::endpoint> out;
  for (const auto& item : *list) {
    auto text = item.value<std::string>();
    if (!text) return Error{wrong};
    auto endpoint = parse_endpoint(*text, what);
    if (!endpoint) return Error{endpoint.error()};
    out.push_back(*endpoint);
  }
  return out;
}

}  // namespace apex::server
