// Building Resolutions from a followed chain (ARCHITECTURE.md §5: TTL = min along the chain).
#include "flatten/resolution.hpp"

#include <algorithm>

namespace apex::flatten {

Resolution resolved_addresses(const ChainTrail& trail, std::vector<Address> addresses,
                              std::uint32_t rrset_ttl) {
  Resolution r;
  r.kind = ResolutionKind::kAddresses;
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  r.addresses = std::move(addresses);
  r.ttl = std::min(trail.ttl(), rrset_ttl);
  r.chain = trail.names();
  return r;
}

Resolution resolved_negative(ResolutionKind kind, const ChainTrail& trail,
                             std::optional<std::uint32_t> negative_ttl, bool local) {
  Resolution r;
  r.kind = kind;
  r.ttl = negative_ttl ? std::min(trail.ttl(), *negative_ttl) : 0;
  r.chain = trail.names();
  r.local_negative = local;
  return r;
}

Resolution resolution_failure(const ChainTrail& trail, std::string error) {
  Resolution r;
  r.kind = ResolutionKind::kFailure;
  r.chain = trail.names();
  r.error = std::move(error);
  return r;
}

}  // namespace apex::flatten
