// Specification of status changes: what counts as a transition of a target family.
#include <doctest/doctest.h>

#include "flatten/status_change.hpp"
#include "tests/flatten/flattener_fixture.hpp"

using namespace apex;
using namespace apex::flatten;
using namespace apex::flatten::test;

namespace {

TargetState::Family fresh() {
  TargetState::Family f;
  f.state = AliasState::kAddresses;
  f.addresses = {v4("192.0.2.1"), v4("192.0.2.2")};
  return f;
}

TargetState target(TargetState::Family a, TargetState::Family aaaa = {}) {
  TargetState t;
  t.target = name("cdn.example.");
  t.a = std::move(a);
  t.aaaa = std::move(aaaa);
  return t;
}

}  // namespace

TEST_CASE("served status: addresses are fresh until a failure or negative answer runs") {
  TargetState::Family f = fresh();
  f.next_refresh_ms = 1;  // overdue by any clock: still fresh here
  CHECK(served_status(f) == FlattenStatus::kFresh);
  f.failing_since_ms = 5;
  CHECK(served_status(f) == FlattenStatus::kStale);
  f.failing_since_ms = 0;
  f.negative_since_ms = 5;
  CHECK(served_status(f) == FlattenStatus::kStale);
  CHECK(served_status(TargetState::Family{}) == FlattenStatus::kPending);
  TargetState::Family nodata;
  nodata.state = AliasState::kNoData;
  CHECK(served_status(nodata) == FlattenStatus::kNegative);
  TargetState::Family failed;
  failed.state = AliasState::kFailed;
  CHECK(served_status(failed) == FlattenStatus::kFailed);
}

TEST_CASE("status changes: one per family that moved, with the error when failing") {
  std::vector<StatusChange> out;
  const TargetState before = target(fresh());
  append_status_changes(&before, before, out);
  CHECK(out.empty());

  TargetState::Family stale = fresh();
  stale.failing_since_ms = 10;
  stale.last_error = "SERVFAIL from 192.0.2.53";
  TargetState::Family nodata;
  nodata.state = AliasState::kNoData;
  append_status_changes(&before, target(stale, nodata), out);
  REQUIRE(out.size() == 2);
  CHECK(out[0] == StatusChange{name("cdn.example."), RRType::A, FlattenStatus::kFresh,
                               FlattenStatus::kStale, "SERVFAIL from 192.0.2.53", 2});
  CHECK(out[1].family == RRType::AAAA);
  CHECK(out[1].before == FlattenStatus::kPending);
  CHECK(out[1].after == FlattenStatus::kNegative);
  CHECK(out[1].error.empty());

  out.clear();
  append_status_changes(nullptr, target(fresh()), out);
  REQUIRE(out.size() == 1);  // AAAA stays pending
  CHECK(out[0].before == FlattenStatus::kPending);
  CHECK(out[0].after == FlattenStatus::kFresh);
}
