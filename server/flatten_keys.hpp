// The [flatten] section of apexd's configuration (ARCHITECTURE.md §5): one key per upstream option
// and per FlattenPolicy field, each with its range and a message naming both when it is out.
#pragma once

#include <string_view>

#include <toml++/toml.h>

#include "server/config.hpp"
#include "zones/result.hpp"

namespace apex::server {

// Sets the setting key names from node. Unknown keys, values of the wrong type and values out
// of range are errors ("max_chain_depth must be an integer from 1 to 32").
Status apply_flatten_key(std::string_view key, const toml::node& node, FlattenSettings& settings);

// What no single key can check: refresh_ceiling_s not below refresh_floor_s, retry_max_s not
// below retry_initial_s.
Status check_flatten_settings(const FlattenSettings& settings);

}  // namespace apex::server
