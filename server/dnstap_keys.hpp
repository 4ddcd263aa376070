// The [dnstap] section of apexd's configuration: each key with its type and range, and a
// message naming the key when a value does not fit.
#pragma once

#include <string_view>

#include <toml++/toml.h>

#include "server/dnstap_settings.hpp"
#include "zones/result.hpp"

namespace apex::server {

// Sets the setting key names from node ("queue_size must be a power of two from 2 to 16384").
Status apply_dnstap_key(std::string_view key, const toml::node& node, DnstapSettings& settings);

}  // namespace apex::server
