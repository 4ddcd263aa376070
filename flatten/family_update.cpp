// Family state transitions (ARCHITECTURE.md §5 failure policy).
#include "flatten/family_update.hpp"

#include <algorithm>

#include "flatten/refresh_timing.hpp"

namespace apex::flatten {
namespace {

using Family = TargetState::Family;

bool serves_something(const Family& f) {
  return f.state == AliasState::kAddresses || f.state == AliasState::kNoData;
}

std::int64_t stale_deadline(const Family& f, const FlattenPolicy& policy) {
  return f.failing_since_ms + policy.max_stale.count();
}

void note_error(Family& f, std::string error, std::int64_t now_ms) {
  f.last_error = std::move(error);
  f.last_error_ms = now_ms;
}

ResultSource source_of(const Resolution& r) {
  return r.local_lookups > 0 ? ResultSource::kLocal : ResultSource::kUpstream;
}

void on_addresses(Family& f, const Resolution& r, const FlattenPolicy& policy, std::int64_t now_ms,
                  double u) {
  f.state = AliasState::kAddresses;
  f.addresses = r.addresses;
  f.ttl = r.ttl;
  f.chain = r.chain;
  f.source = source_of(r);
  f.last_success_ms = now_ms;
  f.failing_since_ms = 0;
  f.negative_since_ms = 0;
  f.consecutive_failures = 0;
  f.next_refresh_ms = now_ms + refresh_delay_ms(r.ttl, policy, u);
}

void accept_negative(Family& f, const Resolution& r, const FlattenPolicy& policy,
                     std::int64_t now_ms, double u) {
  f.state = AliasState::kNoData;
  f.addresses.clear();
  f.ttl = r.ttl;
  f.chain = r.chain;
  f.source = source_of(r);
  f.last_success_ms = now_ms;
  if (f.negative_since_ms == 0) f.negative_since_ms = now_ms;
  f.consecutive_failures = 0;
  f.next_refresh_ms = now_ms + refresh_delay_ms(r.ttl, policy, u);
}

std::string negative_text(const Resolution& r) {
  const char* what = r.kind == ResolutionKind::kNxDomain ? "NXDOMAIN" : "NODATA";
  return std::string(what) + " for " + r.chain.back().to_text() +
         " (within the grace period; previous addresses served)";
}

void on_negative(Family& f, const Resolution& r, const FlattenPolicy& policy, std::int64_t now_ms,
                 double u) {
  f.failing_since_ms = 0;  // the resolvers answer again
  if (f.state != AliasState::kAddresses || r.local_negative)
    return accept_negative(f, r, policy, now_ms, u);
  if (f.negative_since_ms == 0) f.negative_since_ms = now_ms;
  const std::int64_t grace_end = f.negative_since_ms + policy.negative_grace.count();
  if (now_ms >= grace_end) return accept_negative(f, r, policy, now_ms, u);
  ++f.consecutive_failures;
  note_error(f, negative_text(r), now_ms);
  const std::int64_t retry = now_ms + retry_delay_ms(f.consecutive_failures, policy, u);
  f.next_refresh_ms = std::min(retry, grace_end);
}

void on_failure(Family& f, const Resolution& r, const FlattenPolicy& policy, std::int64_t now_ms,
                double u) {
  if (f.failing_since_ms == 0) f.failing_since_ms = now_ms;
  ++f.consecutive_failures;
  note_error(f, r.error, now_ms);
  f.next_refresh_ms = now_ms + retry_delay_ms(f.consecutive_failures, policy, u);
  if (!serves_something(f)) {
    f.state = AliasState::kFailed;
    return;
  }
  if (expire_stale(f, policy, now_ms)) return;
  f.next_refresh_ms = std::min(f.next_refresh_ms, stale_deadline(f, policy));
}

}  // namespace

void apply_resolution(Family& f, const Resolution& r, const FlattenPolicy& policy,
                      std::int64_t now_ms, double u) {
  f.last_attempt_ms = now_ms;
  switch (r.kind) {
    case ResolutionKind::kAddresses:
      return on_addresses(f, r, policy, now_ms, u);
    case ResolutionKind::kNoData:
    case ResolutionKind::kNxDomain:
      return on_negative(f, r, policy, now_ms, u);
    case ResolutionKind::kFailure:
      return on_failure(f, r, policy, now_ms, u);
  }
}

bool expire_stale(Family& f, const FlattenPolicy& policy, std::int64_t now_ms) {
  if (!serves_something(f) || f.failing_since_ms == 0) return false;
  if (now_ms < stale_deadline(f, policy)) return false;
  f.state = AliasState::kFailed;
  return true;
}

}  // namespace apex::flatten
