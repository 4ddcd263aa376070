// Specification of the refresh schedule: due slots come out earliest first; rescheduling
// moves a slot; cancelled slots never come out.
#include <doctest/doctest.h>

#include "flatten/refresh_queue.hpp"

using namespace apex;
using namespace apex::flatten;

TEST_CASE("due slots come out earliest first, once") {
  RefreshQueue q;
  CHECK_FALSE(q.earliest().has_value());
  q.schedule({"b", RRType::A}, 200);
  q.schedule({"a", RRType::AAAA}, 100);
  q.schedule({"c", RRType::A}, 300);
  CHECK(q.earliest() == 100);
  auto due = q.take_due(250);
  REQUIRE(due.size() == 2);
  CHECK(due[0] == RefreshSlot{"a", RRType::AAAA});
  CHECK(due[1] == RefreshSlot{"b", RRType::A});
  CHECK(q.take_due(250).empty());
  CHECK(q.size() == 1);
}

TEST_CASE("rescheduling moves a slot; cancelling removes it") {
  RefreshQueue q;
  q.schedule({"a", RRType::A}, 100);
  q.schedule({"a", RRType::A}, 500);
  q.schedule({"a", RRType::AAAA}, 50);
  CHECK(q.size() == 2);
  CHECK(q.take_due(200).size() == 1);
  q.schedule({"a", RRType::AAAA}, 50);
  q.cancel_target("a");
  CHECK(q.size() == 0);
  CHECK(q.take_due(1000).empty());
}
