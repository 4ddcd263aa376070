// The status words of `alias status` (ARCHITECTURE.md §5) and the TTL served, derived from a
// family's TargetState.
#include "flatten/state_store.hpp"

#include "flatten/status_change.hpp"

#include <algorithm>

#include "zones/record.hpp"

namespace apex::flatten {
namespace {

bool overdue(const TargetState::Family& f, std::int64_t now_ms) {
  const std::int64_t expires = f.last_success_ms + std::int64_t{f.ttl} * 1000;
  return now_ms >= expires && now_ms > f.next_refresh_ms;
}

}  // namespace

std::string_view to_text(FlattenStatus status) {
  switch (status) {
    case FlattenStatus::kFresh:
      return "fresh";
    case FlattenStatus::kStale:
      return "stale";
    case FlattenStatus::kNegative:
      return "negative";
    case FlattenStatus::kFailed:
      return "failed";
    case FlattenStatus::kPending:
      return "pending";
  }
  return "?";
}

std::string_view to_text(ResultSource source) {
  switch (source) {
    case ResultSource::kNone:
      return "";
    case ResultSource::kLocal:
      return "local";
    case ResultSource::kUpstream:
      return "upstream";
  }
  return "";
}

FlattenStatus status_of(const TargetState::Family& f, std::int64_t now_ms) {
  const FlattenStatus served = served_status(f);
  if (served == FlattenStatus::kFresh && overdue(f, now_ms)) return FlattenStatus::kStale;
  return served;
}

bool serves_stale(const TargetState::Family& f) {
  return f.state == AliasState::kAddresses && (f.failing_since_ms != 0 || f.negative_since_ms != 0);
}

std::uint32_t stale_ttl_seconds(std::chrono::seconds stale_ttl) {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(stale_ttl.count(), 0, kMaxTtl));
}

std::uint32_t served_ttl(const TargetState::Family& f, std::uint32_t stale_ttl) {
  switch (f.state) {
    case AliasState::kAddresses:
      if (f.addresses.empty()) return stale_ttl;  // served as failed: fallbacks
      return serves_stale(f) ? stale_ttl : std::min(f.ttl, kMaxTtl);
    case AliasState::kFailed:
      return stale_ttl;
    case AliasState::kNoData:
    case AliasState::kPending:
      return 0;
  }
  return 0;
}

}  // namespace apex::flatten
