// The NSEC3 chain of a zone (RFC 5155 §7.1): one NSEC3 per name (empty non-terminals
// included), owned by its hash under the apex, in hash order, each naming the next hash.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/denial_chain.hpp"
#include "zones/nsec3_hash.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex {

// NSEC3 records for the owners (any order, all at or below apex), TTL ttl. The names
// between the apex and each owner that have no data of their own (empty non-terminals) get
// an NSEC3 with an empty bitmap (RFC 5155 §7.1). With opt-out, delegations without DS are
// left out, and so are the empty non-terminals only they needed (RFC 5155 §7.1), and every
// NSEC3 has the Opt-Out flag. The bitmap lists RRSIG where an RRset is signed: everywhere
// but empty non-terminals and unsigned delegations. NSEC3 itself is never listed (it lives
// at the hashed name). An error only if two names hash alike (RFC 5155 §7.1).
Result<std::vector<Record>> nsec3_chain(std::span<const OwnerTypes> owners, const Name& apex,
                                        const Nsec3Parameters& parameters, std::uint32_t ttl);

}  // namespace apex
