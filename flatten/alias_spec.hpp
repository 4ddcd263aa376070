// One ALIAS as the flattener sees it (ARCHITECTURE.md §5): where it lives, what it follows, and the
// owner's own fallback and health settings. The server assembles these from zone snapshots
// (owner, target, TTL) and from storage (fallbacks, health check).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "zones/name.hpp"

namespace apex::flatten {

struct AliasSpec {
  Name owner;
  Name target;
  // The ALIAS TTL. The answer engine caps served TTLs with the one in the zone snapshot; the
  // flattener does not schedule by it (the chain's TTLs govern refreshes).
  std::uint32_t ttl = 0;
  // Served for the owner when its target has nothing fresh or stale left (past max-stale, or
  // never resolved and failing), and, with health_fail_open = false, when every address is
  // unhealthy. A fallback of 4 (A) or 16 (AAAA) octets each; others are ignored.
  std::vector<std::vector<std::uint8_t>> fallback_a, fallback_aaaa;
  // Probe each resolved address with a TCP connect to this port; unhealthy ones leave this
  // owner's answer (flatten_policy.hpp for when none is healthy).
  std::optional<std::uint16_t> health_tcp_port;

  bool has_fallback() const { return !fallback_a.empty() || !fallback_aaaa.empty(); }
};

}  // namespace apex::flatten
