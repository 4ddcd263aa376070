// ALIAS loops across zones and child zones hiding parent data, over a ZoneSource.
#include "admin/cross_zone_rules.hpp"

#include <set>

#include "admin/zone_diff.hpp"

namespace apex::admin {
namespace {

using NameSet = std::set<Name, CanonicalLess>;

// A command that changes more owners than this looks up the zones below the changed zone
// once, rather than the enclosing zone of every changed owner.
constexpr std::size_t kOwnerLookups = 64;

bool delegates(const WorkingZone& parent, const Name& child_apex) {
  return parent.find(child_apex, RRType::NS) != nullptr;
}

Finding hidden(const RRsetData& rrset, RRType type, const Name& parent, const Name& child) {
  const std::string rule = rrset.owner.is_wildcard() ? "child-hides-wildcard" : "child-hides-data";
  return Finding{rrset.owner,
                 type,
                 rule,
                 rrset.owner.to_text() + " " + rrtype_to_text(type) + ": in zone " +
                     parent.to_text() + ", hidden by the zone " + child.to_text() +
                     " (names at and below " + child.to_text() +
                     " are answered from that zone, so this record is never served)",
                 Severity::kWarning,
                 {child.lowercased()}};
}

// The owners of changed RRsets that are still there, and of changed ALIAS and CNAME RRsets.
struct ChangedOwners {
  NameSet owners;
  NameSet hops;  // owners of an ALIAS or CNAME that is new or changed
};

ChangedOwners changed_owners(const WorkingZone* before, const WorkingZone& after) {
  ChangedOwners changed;
  for (const RRsetChange& c : diff_rrsets(before, &after)) {
    if (!c.after) continue;
    changed.owners.insert(c.key.owner);
    if (c.key.type == RRType::ALIAS || c.key.type == RRType::CNAME)
      changed.hops.insert(c.key.owner);
  }
  return changed;
}

Status find_loops(ZoneSource& source, const NameSet& starts, std::vector<Finding>& found) {
  std::optional<std::string> failed;
  const NextHop next = [&](const Name& name) -> std::optional<AliasHop> {
    auto apex = source.enclosing_zone(name);
    if (!apex) failed = apex.error();
    if (!apex || !*apex) return std::nullopt;
    auto zone = source.zone_content(**apex);
    if (!zone) failed = zone.error();
    if (!zone || !*zone) return std::nullopt;
    return hop_at(**zone, name);
  };
  for (const Name& start : starts) {
    auto loop = alias_loop_from(start, next);
    if (failed) return Error{*failed};
    if (loop) found.push_back(std::move(*loop));
  }
  return Ok{};
}

// The new zone's parent, if stored, loses the data at and below the new apex.
Status find_hidden_parent_data(ZoneSource& source, const WorkingZone& child,
                               std::vector<Finding>& found) {
  if (child.apex().is_root()) return Ok{};
  auto parent = source.enclosing_zone(child.apex().parent());
  if (!parent) return Error{parent.error()};
  if (!*parent) return Ok{};
  auto zone = source.zone_content(**parent);
  if (!zone) return Error{zone.error()};
  if (*zone) {
    for (Finding& f : hidden_by_child(**zone, child.apex())) found.push_back(std::move(f));
  }
  return Ok{};
}

// Data of after at the owners given (every owner when none are) that a child zone hides.
Status find_hidden_changes(ZoneSource& source, const WorkingZone& after,
                           const std::optional<NameSet>& owners, std::vector<Finding>& found) {
  NameSet children;
  if (!owners || owners->size() > kOwnerLookups) {
    auto below = source.zones_below(after.apex());
    if (!below) return Error{below.error()};
    children.insert(below->begin(), below->end());
  } else {
    for (const Name& owner : *owners) {
      if (owner == after.apex()) continue;
      auto apex = source.enclosing_zone(owner);
      if (!apex) return Error{apex.error()};
      if (*apex && !(**apex == after.apex()) && (*apex)->is_subdomain_of(after.apex()))
        children.insert(**apex);
    }
  }
  for (const Name& child : children) {
    for (Finding& f : hidden_by_child(after, child)) {
      if (!owners || owners->contains(f.owner.lowercased())) found.push_back(std::move(f));
    }
  }
  return Ok{};
}

}  // namespace

std::optional<AliasHop> hop_at(const WorkingZone& zone, const Name& name) {
  for (RRType type : {RRType::ALIAS, RRType::CNAME}) {
    const RRsetData* rrset = zone.find(name, type);
    if (!rrset || rrset->rdatas.empty()) continue;
    auto target = Name::from_wire(rrset->rdatas.front());
    if (target) return AliasHop{std::move(target).value(), type};
  }
  return std::nullopt;
}

std::vector<Finding> hidden_by_child(const WorkingZone& parent, const Name& child_apex) {
  std::vector<Finding> found;
  const Name child = child_apex.lowercased();
  if (delegates(parent, child)) return found;
  const auto& rrsets = parent.rrsets();
  for (auto it = rrsets.lower_bound(RRsetKey{child, static_cast<RRType>(0)});
       it != rrsets.end() && it->first.owner.is_subdomain_of(child); ++it) {
    found.push_back(hidden(it->second, it->first.type, parent.apex(), child_apex));
  }
  return found;
}

Result<std::vector<Finding>> cross_zone_findings(ZoneSource& source, const WorkingZone* before,
                                                 const WorkingZone& after) {
  std::vector<Finding> found;
  const ChangedOwners changed = changed_owners(before, after);
  if (auto ok = find_loops(source, changed.hops, found); !ok) return Error{ok.error()};
  if (!before) {
    if (auto ok = find_hidden_parent_data(source, after, found); !ok) return Error{ok.error()};
  }
  if (auto ok = find_hidden_changes(source, after, changed.owners, found); !ok)
    return Error{ok.error()};
  return found;
}

Result<std::vector<Finding>> stored_zone_findings(ZoneSource& source, const WorkingZone& zone) {
  std::vector<Finding> found;
  NameSet aliases;
  for (const auto& [key, rrset] : zone.rrsets()) {
    if (key.type == RRType::ALIAS) aliases.insert(key.owner);
  }
  if (auto ok = find_loops(source, aliases, found); !ok) return Error{ok.error()};
  if (auto ok = find_hidden_changes(source, zone, std::nullopt, found); !ok)
    return Error{ok.error()};
  return found;
}

}  // namespace apex::admin
