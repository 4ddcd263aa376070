// Specification of the zone index: deepest zone wins; one change copies one shard only.
#include "zones/zone_index.hpp"

#include "tests/zones/answer_fixture.hpp"

using namespace apex;
using namespace apex::test;

namespace {

ZonePtr minimal(const std::string& apex) {
  return zone_from_text(apex, "@ 60 IN SOA ns h 1 2 3 4 5\n@ 60 IN NS ns\nns 60 IN A 192.0.2.1\n");
}

}  // namespace

TEST_CASE("the deepest enclosing zone answers") {
  auto index = ZoneIndex::from_zones({minimal("example."), minimal("a.example.")});
  CHECK(index->zone_count() == 2);
  CHECK(index->find_enclosing(make_query("x.A.example.", RRType::A).question)->apex() ==
        *Name::from_text("a.example."));
  CHECK(index->find_enclosing(make_query("b.example.", RRType::A).question)->apex() ==
        *Name::from_text("example."));
  CHECK(index->find_enclosing(make_query("example.org.", RRType::A).question) == nullptr);
}

TEST_CASE("adding, replacing and removing a zone leaves the old index untouched") {
  auto before = ZoneIndex::from_zones({minimal("example.")});
  auto added = before->with_zone(minimal("other."));
  CHECK(before->zone_count() == 1);
  CHECK(added->zone_count() == 2);
  auto replaced = added->with_zone(minimal("other."));
  CHECK(replaced->zone_count() == 2);
  auto removed = replaced->without_zone(*Name::from_text("OTHER."));
  CHECK(removed->zone_count() == 1);
  CHECK(removed->find_enclosing(make_query("x.other.", RRType::A).question) == nullptr);
  CHECK(replaced->find_enclosing(make_query("x.other.", RRType::A).question) != nullptr);
  CHECK(removed->without_zone(*Name::from_text("absent."))->zone_count() == 1);
}
