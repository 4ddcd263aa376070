// The status words of `alias status` (DESIGN §5), derived from a family's TargetState.
#include "flatten/state_store.hpp"

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

FlattenStatus status_of(const TargetState::Family& f, std::int64_t now_ms) {
  switch (f.state) {
    case AliasState::kPending:
      return FlattenStatus::kPending;
    case AliasState::kNoData:
      return FlattenStatus::kNegative;
    case AliasState::kFailed:
      return FlattenStatus::kFailed;
    case AliasState::kAddresses:
      break;
  }
  if (f.failing_since_ms != 0 || f.negative_since_ms != 0 || overdue(f, now_ms))
    return FlattenStatus::kStale;
  return FlattenStatus::kFresh;
}

}  // namespace apex::flatten
