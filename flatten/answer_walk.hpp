// Follows a recursive resolver's answer along its CNAME chain from the name asked (RFC 1034
// §3.6.2, RFC 6604 §2: the RCODE speaks for the last name of the chain), for ARCHITECTURE.md §5.
#pragma once

#include <functional>

#include "flatten/chain_trail.hpp"
#include "flatten/resolution.hpp"
#include "flatten/upstream_result.hpp"
#include "zones/rrtype.hpp"

namespace apex::flatten {

struct WalkOutcome {
  // False: resolve trail.current() next (a hop into a zone this server serves, or a name the
  // resolver answered only with CNAMEs up to, which must be asked again).
  bool done = false;
  Resolution resolution;  // when done
};

// result answers trail.current() for family. Walks its CNAMEs (owners compared
// case-insensitively) and stops at: addresses of the family (done); a hop to a name that
// served() says lies in a served zone (continue there); the chain's end with a negative
// RCODE, or NOERROR with an SOA (done: negative); the chain's end after at least one hop
// without either (continue: ask again). Loops, over-long chains, malformed records, answers
// that say nothing about the name asked, and resolver failures end in a failure.
WalkOutcome walk_answer(const UpstreamResult& result, RRType family, ChainTrail& trail,
                        const std::function<bool(const Name&)>& served);

}  // namespace apex::flatten
