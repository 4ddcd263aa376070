// A target family's status moving from one FlattenStatus to another (fresh, stale, negative,
// failed), so the server can log each transition once instead of only counting states.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "flatten/state_store.hpp"

namespace apex::flatten {

struct StatusChange {
  Name target;
  RRType family = RRType::A;
  FlattenStatus before = FlattenStatus::kPending;
  FlattenStatus after = FlattenStatus::kPending;
  std::string error;          // the last error, when the change is towards stale or failed
  std::size_t addresses = 0;  // addresses held after the change

  friend bool operator==(const StatusChange&, const StatusChange&) = default;
};

// A family's status as the flattener serves it, without the clock: addresses past their
// refresh time count as fresh here (the overdue case of status_of is a restart artefact, not
// a transition).
FlattenStatus served_status(const TargetState::Family& family);

// Appends the families of `after` whose served status differs from `before` (nullptr: a
// target new to the flattener, every family pending before).
void append_status_changes(const TargetState* before, const TargetState& after,
                           std::vector<StatusChange>& out);

}  // namespace apex::flatten
