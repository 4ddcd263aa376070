// What the NSEC and NSEC3 chains are built from: each name of the zone that has data the
// zone is authoritative for or is a delegation point, with its types (RFC 4035 §2.3).
#pragma once

#include <vector>

#include "zones/name.hpp"
#include "zones/rrtype.hpp"

namespace apex {

struct OwnerTypes {
  Name owner;
  // The RRsets at the owner, without RRSIG, NSEC and NSEC3 (the chain adds those it
  // implies). At a delegation point only NS and DS: glue there is not the zone's data.
  std::vector<RRType> types;
};

}  // namespace apex
