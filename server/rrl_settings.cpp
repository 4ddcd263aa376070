// [rrl] keys onto RrlSettings, each with BIND's range.
#include "server/rrl_settings.hpp"

#include <string>

#include "server/toml_values.hpp"

namespace apex::server {
namespace {

// Far above any rate a single client prefix needs; keeps window * rate within an int32.
constexpr std::int64_t kMaxRate = 100000;

Status set_exempt(const toml::node& node, RrlSettings& settings) {
  const toml::array* list = node.as_array();
  if (!list) return Error{"exempt must be an array of \"ADDR/LEN\" strings"};
  std::vector<AddressPrefix> prefixes;
  for (const auto& item : *list) {
    auto text = item.value<std::string>();
    if (!text) return Error{"exempt must be an array of \"ADDR/LEN\" strings"};
    auto prefix = parse_address_prefix(*text);
    if (!prefix) return Error{"exempt: " + prefix.error()};
    prefixes.push_back(*prefix);
  }
  settings.exempt = std::move(prefixes);
  return Ok{};
}

}  // namespace

Status apply_rrl_key(std::string_view key, const toml::node& node, RrlSettings& settings) {
  if (key == "responses_per_second")
    return set_integer(node, key, 0, kMaxRate, settings.responses_per_second);
  if (key == "referrals_per_second")
    return set_integer(node, key, 0, kMaxRate, settings.referrals_per_second);
  if (key == "nodata_per_second")
    return set_integer(node, key, 0, kMaxRate, settings.nodata_per_second);
  if (key == "nxdomains_per_second")
    return set_integer(node, key, 0, kMaxRate, settings.nxdomains_per_second);
  if (key == "errors_per_second")
    return set_integer(node, key, 0, kMaxRate, settings.errors_per_second);
  if (key == "window") return set_integer(node, key, 1, 3600, settings.window);
  if (key == "slip") return set_integer(node, key, 0, 10, settings.slip);
  if (key == "ipv4_prefix_length")
    return set_integer(node, key, 0, 32, settings.ipv4_prefix_length);
  if (key == "ipv6_prefix_length")
    return set_integer(node, key, 0, 128, settings.ipv6_prefix_length);
  if (key == "max_table_size") return set_integer(node, key, 1, 10000000, settings.max_table_size);
  if (key == "exempt") return set_exempt(node, settings);
  if (key == "log_only") {
    auto v = node.value<bool>();
    if (!node.is_boolean() || !v) return Error{"log_only must be true or false"};
    settings.log_only = *v;
    return Ok{};
  }
  return Error{"unknown setting '" + std::string(key) + "'"};
}

}  // namespace apex::server
