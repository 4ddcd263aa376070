// Specification of snapshot publication: zones, ALIAS tables and transfer access are published
// independently, and each worker's reader re-reads only when something was published.
#include "server/snapshot_store.hpp"

#include <doctest/doctest.h>

#include <memory>

using namespace apex;
using namespace apex::server;

namespace {

ZoneIndexPtr empty_index() {
  return ZoneIndex::from_zones({});
}

AliasTablePtr empty_aliases() {
  return std::make_shared<const AliasTable>();
}

TransferAccessPtr empty_access() {
  return std::make_shared<const TransferAccess>();
}

}  // namespace

TEST_CASE("the store starts with the initial zones, an empty ALIAS table and no access") {
  ZoneIndexPtr zones = empty_index();
  SnapshotStore store(zones);
  Snapshot s = store.snapshot();
  CHECK(s.zones == zones);
  CHECK(store.current() == zones);
  REQUIRE(s.aliases != nullptr);
  REQUIRE(s.access != nullptr);
  CHECK(store.generation() == 0);
}

TEST_CASE("each kind of publication replaces only its own part and moves the generation") {
  ZoneIndexPtr zones = empty_index();
  AliasTablePtr aliases = empty_aliases();
  SnapshotStore store(zones, aliases);
  const TransferAccessPtr initial_access = store.snapshot().access;

  ZoneIndexPtr zones2 = empty_index();
  store.publish(zones2);
  CHECK(store.generation() == 1);
  Snapshot s = store.snapshot();
  CHECK(s.zones == zones2);
  CHECK(s.aliases == aliases);
  CHECK(s.access == initial_access);

  AliasTablePtr aliases2 = empty_aliases();
  store.publish_aliases(aliases2);
  CHECK(store.generation() == 2);
  s = store.snapshot();
  CHECK(s.zones == zones2);
  CHECK(s.aliases == aliases2);
  CHECK(s.access == initial_access);

  TransferAccessPtr access2 = empty_access();
  store.publish_access(access2);
  CHECK(store.generation() == 3);
  s = store.snapshot();
  CHECK(s.zones == zones2);
  CHECK(s.aliases == aliases2);
  CHECK(s.access == access2);
  CHECK(store.current() == zones2);
}

TEST_CASE("a reader keeps the same objects until a publication, then sees it at once") {
  SnapshotStore store(empty_index());
  SnapshotReader reader(store);
  const Snapshot first = reader.refresh();
  CHECK(first.zones == store.current());
  for (int i = 0; i < 3; ++i) {
    const Snapshot& again = reader.refresh();
    CHECK(again.zones == first.zones);
    CHECK(again.aliases == first.aliases);
    CHECK(again.access == first.access);
  }

  ZoneIndexPtr next = empty_index();
  store.publish(next);
  CHECK(reader.refresh().zones == next);
  AliasTablePtr aliases = empty_aliases();
  store.publish_aliases(aliases);
  CHECK(reader.refresh().aliases == aliases);
  CHECK(reader.refresh().zones == next);
  TransferAccessPtr access = empty_access();
  store.publish_access(access);
  CHECK(reader.refresh().access == access);
}

TEST_CASE("a reader's snapshot stays valid after newer publications, until its next refresh") {
  SnapshotStore store(empty_index());
  SnapshotReader reader(store);
  std::weak_ptr<const ZoneIndex> held = reader.refresh().zones;
  std::weak_ptr<const AliasTable> held_aliases = reader.refresh().aliases;
  // The store lets go of the old zones and aliases; the reader still holds them.
  store.publish(empty_index());
  store.publish_aliases(empty_aliases());
  CHECK_FALSE(held.expired());
  CHECK_FALSE(held_aliases.expired());
  // Its next refresh moves on, and the old snapshot is freed with the last reference.
  reader.refresh();
  CHECK(held.expired());
  CHECK(held_aliases.expired());
}

TEST_CASE("readers are independent: each keeps its own snapshot") {
  SnapshotStore store(empty_index());
  SnapshotReader slow(store);
  SnapshotReader fast(store);
  const Snapshot& slow_view = slow.refresh();
  const ZoneIndexPtr old_zones = slow_view.zones;
  ZoneIndexPtr next = empty_index();
  REQUIRE(next != old_zones);
  store.publish(next);
  CHECK(fast.refresh().zones == next);
  CHECK(slow_view.zones == old_zones);  // not refreshed: still what it answered from
  SnapshotReader late(store);           // created after the publication: starts from it
  CHECK(late.refresh().zones == next);
  CHECK(slow.refresh().zones == next);
}
