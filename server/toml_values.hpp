// Typed values of apexd's TOML configuration, each error naming the key and what it must be.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <toml++/toml.h>
#include <boost/asio/ip/udp.hpp>

#include "zones/result.hpp"

namespace apex::server {

// An integer within [lo, hi]: "KEY must be an integer from LO to HI" otherwise.
Result<std::int64_t> toml_integer(const toml::node& node, std::string_view key, std::int64_t lo,
                                  std::int64_t hi);

// Sets field to the integer within [lo, hi].
template <class T>
Status set_integer(const toml::node& node, std::string_view key, std::int64_t lo, std::int64_t hi,
                   T& field) {
  auto v = toml_integer(node, key, lo, hi);
  if (!v) return Error{v.error()};
  field = static_cast<T>(*v);
  return Ok{};
}

// An array of endpoint strings read by parse_endpoint (whose errors start with what):
// "KEY must be an array of \"FORM\" strings" when it is not one.
Result<std::vector<boost::asio::ip::udp::endpoint>> toml_endpoints(const toml::node& node,
                                                                   std::string_view key,
                                                                   std::string_view form,
                                                                   std::string_view what);

}  // namespace apex::server
