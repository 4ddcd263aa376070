// [rrl]: response rate limiting as BIND 9 (rate-limit) and NSD (rrl-*) define it: per client
// prefix and response class, a credit account per second, over a window, with slip.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "server/address_prefix.hpp"
#include "zones/result.hpp"

namespace apex::server {

struct RrlSettings {
  unsigned responses_per_second = 0;  // answers, and the classes below when unset; 0: RRL off
  // Unset (-1): the responses value. 0: that class is not limited.
  std::int64_t referrals_per_second = -1;
  std::int64_t nodata_per_second = -1;
  std::int64_t nxdomains_per_second = -1;
  std::int64_t errors_per_second = -1;
  unsigned window = 15;  // seconds of debt an account can run up (1..3600)
  unsigned slip = 2;     // every slip-th limited response goes out truncated (0: none)
  unsigned ipv4_prefix_length = 24;
  unsigned ipv6_prefix_length = 56;
  std::vector<AddressPrefix> exempt;  // never limited
  bool log_only = false;              // count and log, but answer as usual
  unsigned max_table_size = 100000;   // accounts per worker; the least recently used go

  bool enabled() const { return responses_per_second != 0; }
  // The rate of a class: its own value, else (unset) the responses rate.
  unsigned rate_or_responses(std::int64_t own) const {
    return own < 0 ? responses_per_second : static_cast<unsigned>(own);
  }

  friend bool operator==(const RrlSettings&, const RrlSettings&) = default;
};

// Sets one [rrl] key from node; unknown keys and values out of range are errors naming the
// key ("slip must be an integer from 0 to 10").
Status apply_rrl_key(std::string_view key, const toml::node& node, RrlSettings& settings);

}  // namespace apex::server
