// Specification of LoggedStateStore: failed saves of flattener results are reported once per
// episode, however many saves fail in a row, and the end of an episode is reported too.
#include "server/logged_state_store.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "flatten/memory_state_store.hpp"

namespace apex::server {
namespace {

flatten::TargetState target(const char* name) {
  flatten::TargetState t;
  t.target = Name::from_text(name).value();
  return t;
}

struct Reports {
  std::vector<std::string> lines;
  LoggedStateStore wrap(flatten::StateStore& inner) {
    return LoggedStateStore(
        inner, [this](const std::string& e) { lines.push_back("failed: " + e); },
        [this] { lines.push_back("recovered"); });
  }
};

}  // namespace

TEST_CASE("a run of failed saves is reported once, its end once, and results pass through") {
  flatten::MemoryStateStore memory;
  Reports reports;
  LoggedStateStore store = reports.wrap(memory);
  REQUIRE(store.save({target("a.test.")}).ok());
  CHECK(reports.lines.empty());
  memory.fail_with("no such table: alias_state");
  for (int i = 0; i < 5; ++i) CHECK_FALSE(store.save({target("b.test.")}).ok());
  CHECK_FALSE(store.remove({Name::from_text("a.test.").value()}).ok());
  CHECK(store.failing());
  CHECK(reports.lines == std::vector<std::string>{"failed: no such table: alias_state"});
  memory.fail_with("");
  REQUIRE(store.save({target("c.test.")}).ok());
  REQUIRE(store.save({target("d.test.")}).ok());
  CHECK_FALSE(store.failing());
  CHECK(reports.lines ==
        std::vector<std::string>{"failed: no such table: alias_state", "recovered"});
  memory.fail_with("disk I/O error");
  CHECK_FALSE(store.save({target("e.test.")}).ok());
  CHECK(reports.lines.back() == "failed: disk I/O error");
  CHECK(memory.find(Name::from_text("c.test.").value()).has_value());
}

}  // namespace apex::server
