// Stored ALIAS data beyond the ALIAS record itself: per-alias settings (fallback addresses,
// health check) and the flattener's persisted per-target results (ARCHITECTURE.md §5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zones/name.hpp"

namespace apex::storage {

struct AliasSettings {
  Name owner;
  // Served when the target has nothing to serve: IPv4 addresses of 4 octets and IPv6
  // addresses of 16, each list distinct and in octet order.
  std::vector<std::vector<std::uint8_t>> fallback_a, fallback_aaaa;
  // Probe the target's addresses with a TCP connect to this port (1…65535).
  std::optional<std::uint16_t> health_tcp_port;

  bool has_fallback() const { return !fallback_a.empty() || !fallback_aaaa.empty(); }
  // An alias without fallback and health check has no settings (and no row).
  bool empty() const { return !has_fallback() && !health_tcp_port; }
  // Owners are compared as names elsewhere; this compares what the settings say.
  bool same_values(const AliasSettings& other) const {
    return fallback_a == other.fallback_a && fallback_aaaa == other.fallback_aaaa &&
           health_tcp_port == other.health_tcp_port;
  }
};

// One address family of one target, as the flattener last knew it. Text fields are kept
// simple so the CLI can show them as they are.
struct AliasTargetRow {
  Name target;
  std::uint16_t family = 1;  // 1 (A) or 28 (AAAA)
  std::string state;         // the flattener's state name
  std::string addresses;     // comma-separated
  std::uint32_t ttl = 0;
  std::string chain;  // CNAME chain, space-separated names
  std::int64_t last_success_ms = 0;
  std::int64_t last_attempt_ms = 0;
  std::int64_t failing_since_ms = 0;
  std::int64_t negative_since_ms = 0;
  std::int64_t next_refresh_ms = 0;
  std::string last_error;
  std::int64_t last_error_ms = 0;          // when last_error happened (0: unknown or none)
  std::uint32_t consecutive_failures = 0;  // attempts failed in a row (retry backoff)
  // The TTL served before an ALIAS TTL caps it: the result's when fresh, the stale TTL while
  // last-known-good or fallback addresses are served; 0 when no addresses are.
  std::uint32_t served_ttl = 0;
  // How the result was learned: "local" (from a provider zone of this server, at least one
  // link of the chain), "upstream" (the recursive resolvers only), or "" (no result yet).
  std::string source;
};

}  // namespace apex::storage
