// Specification of persistence off the io_context (ARCHITECTURE.md §5): the writer hands changes to
// the StateStore from its own thread, the last change of a target wins, close() writes everything
// still queued, and store failures are counted rather than thrown.
#include <doctest/doctest.h>

#include <thread>

#include "flatten/memory_state_store.hpp"
#include "flatten/state_writer.hpp"
#include "tests/flatten/fake_resolver.hpp"

using namespace apex;
using namespace apex::flatten;
using apex::flatten::test::name;

namespace {

TargetState state(const char* target, std::uint32_t ttl) {
  TargetState s;
  s.target = name(target);
  s.a.state = AliasState::kAddresses;
  s.a.addresses = {{192, 0, 2, 1}};
  s.a.ttl = ttl;
  return s;
}

}  // namespace

TEST_CASE("the memory store keeps targets by name, case-insensitively") {
  MemoryStateStore store;
  REQUIRE(store.save({state("One.example.", 60), state("two.example.", 60)}).ok());
  REQUIRE(store.save({state("one.EXAMPLE.", 90)}).ok());
  CHECK(store.size() == 2);
  CHECK(store.find(name("one.example."))->a.ttl == 90);
  REQUIRE(store.remove({name("TWO.example.")}).ok());
  auto loaded = store.load();
  REQUIRE(loaded.ok());
  REQUIRE(loaded->size() == 1);
  CHECK((*loaded)[0].a.ttl == 90);
  store.fail_with("disk full");
  CHECK(store.load().error() == "disk full");
}

TEST_CASE("the writer persists from its own thread; the last change wins; close writes all") {
  MemoryStateStore store;
  {
    StateWriter writer(store);
    writer.save({state("a.example.", 1)});
    writer.save({state("A.example.", 2), state("b.example.", 3)});
    writer.remove({name("b.example.")});
    writer.save({state("c.example.", 4)});
    writer.close();
    writer.save({state("d.example.", 5)});  // ignored after close
  }
  CHECK(store.size() == 2);
  CHECK(store.find(name("a.example."))->a.ttl == 2);
  CHECK_FALSE(store.find(name("b.example.")).has_value());
  CHECK_FALSE(store.find(name("d.example.")).has_value());
}

TEST_CASE("store failures are counted with the last error") {
  MemoryStateStore store;
  store.fail_with("database is locked");
  StateWriter writer(store);
  writer.save({state("a.example.", 1)});
  writer.close();
  CHECK(writer.errors() == 1);
  CHECK(writer.last_error() == "database is locked");
}
