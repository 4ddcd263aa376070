// One step of chain following inside the provider-owned zones this server serves (such
// targets are resolved from the snapshot, with no upstream query), by the answer engine's
// RFC 1034 §4.3.2 lookup.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "flatten/provider_zones.hpp"
#include "flatten/state_store.hpp"
#include "zones/name.hpp"
#include "zones/rrtype.hpp"
#include "zones/zone_index.hpp"

namespace apex::flatten {

struct LocalStep {
  enum class Kind {
    kNotServed,  // no provider zone holds the name authoritatively (no served zone encloses
                 // it, the deepest one that does is not provider-owned, or the name is at or
                 // below a delegation): ask upstream
    kAddresses,  // addresses (wildcards included), with the RRset's TTL
    kHop,        // a CNAME, or an ALIAS (followed like a CNAME), to next, with its TTL
    kNoData,     // the name exists without records of the family; ttl: the negative TTL
    kNxDomain,   // the name does not exist; ttl: the negative TTL
    kFailure,    // the zone data could not be followed (error says why)
  };
  Kind kind = Kind::kNotServed;
  std::vector<Address> addresses;
  std::uint32_t ttl = 0;
  Name next;
  std::string error;
};

// Looks name/family up in the deepest served zone that encloses it, when that zone is
// provider-owned; the deepest zone decides, so a customer's zone below a provider's (or named
// like a target) sends the name upstream rather than answering it. Takes one hop at a time
// (the caller's ChainTrail checks loops and depth). An ALIAS at the name is followed to its
// target rather than answered from flattening results, so a local alias of an alias needs no
// other alias's result.
LocalStep local_step(const ZoneIndex& zones, const ProviderZones& providers, const Name& name,
                     RRType family);

// The deepest served zone that encloses name (provider-owned or not), or null.
const Zone* enclosing_zone(const ZoneIndex& zones, const Name& name);

// Whether the deepest served zone enclosing name is provider-owned (the name may still be
// delegated away).
bool is_served(const ZoneIndex& zones, const ProviderZones& providers, const Name& name);

}  // namespace apex::flatten
