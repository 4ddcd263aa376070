// The failure policy of ARCHITECTURE.md §5 as transitions of one family's state: answers refresh
// it, failures keep last-known-good as stale up to max-stale (RFC 8767), negative answers for a
// family that resolved wait out a grace period; each sets when to ask next.
#pragma once

#include <cstdint>

#include "flatten/flatten_policy.hpp"
#include "flatten/resolution.hpp"
#include "flatten/state_store.hpp"

namespace apex::flatten {

// Applies a completed resolution at now_ms and sets next_refresh_ms (u, uniform in [0, 1),
// jitters it):
// - addresses: kAddresses, failure and negative runs end; refresh by the TTL.
// - failure: a failure run starts or goes on; kAddresses and kNoData stay (stale) until
//   failing_since + max_stale, then kFailed; kPending becomes kFailed. Retry with backoff,
//   never later than the max-stale deadline.
// - negative: a family serving addresses keeps them (stale) until the negative has persisted
//   for negative_grace, then kNoData; otherwise, or when it came from a served zone, kNoData at
//   once. Retries within the grace period back off, never later than its end.
void apply_resolution(TargetState::Family& family, const Resolution& resolution,
                      const FlattenPolicy& policy, std::int64_t now_ms, double u);

// The max-stale deadline passing without a new result: stale addresses (or a stale negative)
// become kFailed. Returns whether the state changed.
bool expire_stale(TargetState::Family& family, const FlattenPolicy& policy, std::int64_t now_ms);

}  // namespace apex::flatten
