// Specification of the rules across zones: ALIAS loops closed by a change, and data a child
// zone hides from its parent, over zones held in memory.
#include "admin/cross_zone_rules.hpp"

#include <doctest/doctest.h>

#include <map>

#include "zones/master_file.hpp"

namespace apex::admin {
namespace {

Name name(const char* text) {
  return Name::from_text(text).value();
}

WorkingZone zone_of(const char* apex, const std::string& body) {
  const Name origin = name(apex);
  auto file = read_master_text(
      "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n" + body, origin);
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.error()));
  auto zone = WorkingZone::from_records(origin, file->records);
  REQUIRE(zone.ok());
  return *zone;
}

// Zones by apex; the closest enclosing one holds a name.
class MemoryZones : public ZoneSource {
 public:
  void add(WorkingZone zone) {
    const Name apex = zone.apex();
    zones_.insert_or_assign(apex, std::move(zone));
  }
  Result<std::optional<Name>> enclosing_zone(const Name& n) override {
    for (Name at = n.lowercased();; at = at.parent()) {
      if (zones_.contains(at)) return std::optional<Name>(at);
      if (at.is_root()) return std::optional<Name>();
    }
  }
  Result<const WorkingZone*> zone_content(const Name& apex) override {
    auto it = zones_.find(apex);
    return it == zones_.end() ? nullptr : &it->second;
  }
  Result<std::vector<Name>> zones_below(const Name& apex) override {
    ++listed;
    std::vector<Name> below;
    for (const auto& [at, zone] : zones_)
      if (!(at == apex) && at.is_subdomain_of(apex)) below.push_back(at);
    return below;
  }
  int listed = 0;

 private:
  std::map<Name, WorkingZone, CanonicalLess> zones_;
};

std::vector<std::string> rules(const std::vector<Finding>& found) {
  std::vector<std::string> out;
  for (const Finding& f : found) out.push_back(f.owner.to_text() + " " + f.rule);
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_SUITE("cross-zone rules") {
  TEST_CASE("alias-loop: the ALIAS a change adds closes a loop through another zone") {
    MemoryZones zones;
    zones.add(zone_of("a.example.", "www ALIAS www.b.example.\n"));
    WorkingZone before = zone_of("b.example.", "www A 192.0.2.2\n");
    WorkingZone after = zone_of("b.example.", "www ALIAS www.a.example.\n");
    zones.add(after);
    auto found = cross_zone_findings(zones, &before, after);
    REQUIRE(found.ok());
    CHECK(rules(*found) == Lines{"www.b.example. alias-loop"});
    CHECK(found->front().severity == Severity::kError);
    // Unchanged ALIAS and CNAME records are not followed again.
    CHECK(cross_zone_findings(zones, &after, after)->empty());
  }

  TEST_CASE(
      "a changed CNAME closing a loop through an ALIAS counts; an ALIAS chain that ends "
      "does not") {
    MemoryZones zones;
    zones.add(zone_of("a.example.", "www ALIAS www.b.example.\n"));
    WorkingZone after = zone_of("b.example.", "www CNAME www.a.example.\n");
    zones.add(after);
    CHECK(rules(*cross_zone_findings(zones, nullptr, after)) == Lines{"www.b.example. alias-loop"});
    WorkingZone ends = zone_of("b.example.", "www CNAME edge.c.example.\n");
    zones.add(ends);
    CHECK(cross_zone_findings(zones, nullptr, ends)->empty());
  }

  TEST_CASE("a new child zone hides the parent's wildcard and data below its apex") {
    MemoryZones zones;
    zones.add(zone_of("shop.example.", "*.eu A 192.0.2.7\napi.eu TXT x\nwww A 192.0.2.8\n"));
    WorkingZone child = zone_of("eu.shop.example.", "");
    zones.add(child);
    auto found = cross_zone_findings(zones, nullptr, child);
    REQUIRE(found.ok());
    CHECK(rules(*found) == Lines{"*.eu.shop.example. child-hides-wildcard",
                                 "api.eu.shop.example. child-hides-data"});
    CHECK(found->front().severity == Severity::kWarning);
    CHECK(found->front().message.find("in zone shop.example., hidden by the zone "
                                      "eu.shop.example.") != std::string::npos);
  }

  TEST_CASE("a delegation to the child hides nothing: NS, DS and glue belong there") {
    WorkingZone parent = zone_of("shop.example.", "eu NS ns.eu\nns.eu A 192.0.2.9\n");
    CHECK(hidden_by_child(parent, name("eu.shop.example.")).empty());
  }

  TEST_CASE("the parent's changed owners under a stored child are told; unchanged ones not") {
    MemoryZones zones;
    zones.add(zone_of("eu.shop.example.", ""));
    WorkingZone before = zone_of("shop.example.", "old.eu TXT x\n");
    WorkingZone after = zone_of("shop.example.", "old.eu TXT x\nnew.eu TXT y\nwww TXT z\n");
    zones.add(after);
    CHECK(rules(*cross_zone_findings(zones, &before, after)) ==
          Lines{"new.eu.shop.example. child-hides-data"});
    CHECK(zones.listed == 0);  // few owners changed: their enclosing zones are looked up
    std::string many;
    for (int i = 0; i < 70; ++i) many += "n" + std::to_string(i) + " TXT x\n";
    WorkingZone big = zone_of("shop.example.", many + "old.eu TXT x\nnew.eu TXT y\n");
    CHECK(rules(*cross_zone_findings(zones, &before, big)) ==
          Lines{"new.eu.shop.example. child-hides-data"});
    CHECK(zones.listed == 1);
  }
}

}  // namespace apex::admin
