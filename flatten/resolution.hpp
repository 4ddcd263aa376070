// What resolving one family of one target came to (ARCHITECTURE.md §5): addresses with the chain's
// TTL, a negative answer (RFC 2308), or a failure and why, with the chain as far as it got.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flatten/chain_trail.hpp"
#include "flatten/state_store.hpp"
#include "zones/name.hpp"

namespace apex::flatten {

enum class ResolutionKind { kAddresses, kNoData, kNxDomain, kFailure };

struct Resolution {
  ResolutionKind kind = ResolutionKind::kFailure;
  std::vector<Address> addresses;  // kAddresses: sorted, distinct
  // kAddresses: min of the chain's TTLs and the address RRset's. Negative: min of the chain's
  // TTLs and the negative TTL (RFC 2308 §5), or 0 when the resolver gave none.
  std::uint32_t ttl = 0;
  std::vector<Name> chain;      // the target first, then every hop taken
  std::string error;            // kFailure: what went wrong, for status
  bool local_negative = false;  // the negative answer came from a zone this server serves
  unsigned upstream_queries = 0;
  unsigned local_lookups = 0;

  bool negative() const {
    return kind == ResolutionKind::kNoData || kind == ResolutionKind::kNxDomain;
  }
};

// addresses in any order, possibly repeated; rrset_ttl is the smallest TTL among them.
Resolution resolved_addresses(const ChainTrail& trail, std::vector<Address> addresses,
                              std::uint32_t rrset_ttl);
Resolution resolved_negative(ResolutionKind kind, const ChainTrail& trail,
                             std::optional<std::uint32_t> negative_ttl, bool local);
Resolution resolution_failure(const ChainTrail& trail, std::string error);

}  // namespace apex::flatten
