// A target family's status moving from one FlattenStatus to another.
#include "flatten/status_change.hpp"

namespace apex::flatten {

FlattenStatus served_status(const TargetState::Family& family) {
  switch (family.state) {
    case AliasState::kPending:
      return FlattenStatus::kPending;
    case AliasState::kNoData:
      return FlattenStatus::kNegative;
    case AliasState::kFailed:
      return FlattenStatus::kFailed;
    case AliasState::kAddresses:
      break;
  }
  return serves_stale(family) ? FlattenStatus::kStale : FlattenStatus::kFresh;
}

void append_status_changes(const TargetState* before, const TargetState& after,
                           std::vector<StatusChange>& out) {
  for (RRType family : {RRType::A, RRType::AAAA}) {
    const TargetState::Family& now = after.of(family);
    const FlattenStatus was = before ? served_status(before->of(family)) : FlattenStatus::kPending;
    const FlattenStatus is = served_status(now);
    if (was == is) continue;
    const bool failing = is == FlattenStatus::kStale || is == FlattenStatus::kFailed;
    out.push_back({after.target, family, was, is, failing ? now.last_error : std::string(),
                   now.addresses.size()});
  }
}

}  // namespace apex::flatten
