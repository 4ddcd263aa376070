// One step of chain following inside the zones this server serves (DESIGN §5: such targets
// are resolved from the snapshot, with no upstream query), by the answer engine's RFC 1034
// §4.3.2 lookup.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "flatten/state_store.hpp"
#include "zones/name.hpp"
#include "zones/rrtype.hpp"
#include "zones/zone_index.hpp"

namespace apex::flatten {

struct LocalStep {
  enum class Kind {
    kNotServed,  // no served zone holds the name authoritatively (none encloses it, or it is
                 // at or below a delegation): ask upstream
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

// Looks name/family up in the deepest served zone that encloses it. Takes one hop at a time
// (the caller's ChainTrail checks loops and depth). An ALIAS at the name is followed to its
// target rather than answered from flattening results, so a local alias of an alias needs no
// other alias's result.
LocalStep local_step(const ZoneIndex& zones, const Name& name, RRType family);

// Whether a served zone encloses name (it may still be delegated away).
bool is_served(const ZoneIndex& zones, const Name& name);

}  // namespace apex::flatten
