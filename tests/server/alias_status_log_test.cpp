// Specification of the log lines for ALIAS target status transitions.
#include <doctest/doctest.h>

#include "server/alias_status_log.hpp"
#include "zones/name.hpp"

using namespace apex;
using namespace apex::server;
using flatten::FlattenStatus;
using flatten::StatusChange;

namespace {

StatusChange change(FlattenStatus before, FlattenStatus after, std::string error = {}) {
  return {*Name::from_text("cdn.example."), RRType::A, before, after, std::move(error), 2};
}

}  // namespace

TEST_CASE("failing and stale are warnings naming the target, family and error") {
  auto lines = status_lines({change(FlattenStatus::kFresh, FlattenStatus::kStale, "time-out")});
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].level == LogLevel::kWarning);
  CHECK(lines[0].text ==
        "flatten: cdn.example. A: resolution failing (time-out); serving 2 addresses last known "
        "good as stale");
  lines = status_lines({change(FlattenStatus::kStale, FlattenStatus::kFailed, "SERVFAIL")});
  CHECK(lines[0].level == LogLevel::kWarning);
  CHECK(lines[0].text.find("nothing left to serve") != std::string::npos);
}

TEST_CASE("recovery and negative answers are info; a first resolution is debug") {
  auto lines = status_lines({change(FlattenStatus::kFailed, FlattenStatus::kFresh),
                             change(FlattenStatus::kFresh, FlattenStatus::kNegative),
                             change(FlattenStatus::kPending, FlattenStatus::kFresh)});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] ==
        StatusLine{LogLevel::kInfo, "flatten: cdn.example. A: recovered, serving 2 addresses"});
  CHECK(lines[1].level == LogLevel::kInfo);
  CHECK(lines[2].level == LogLevel::kDebug);
}

TEST_CASE("a batch beyond the line limit ends in one summary line") {
  std::vector<StatusChange> outage(kMaxStatusLines + 7,
                                   change(FlattenStatus::kFresh, FlattenStatus::kStale, "x"));
  outage.push_back(change(FlattenStatus::kPending, FlattenStatus::kFresh));  // debug: not capped
  auto lines = status_lines(outage);
  REQUIRE(lines.size() == kMaxStatusLines + 2);
  CHECK(lines.back().text ==
        "flatten: 7 more target status changes ('apexctl alias status' lists every target)");
}
