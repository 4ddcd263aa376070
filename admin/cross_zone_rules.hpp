// The zone rules that need other zones than the one checked: ALIAS loops through served
// zones (an error: such an alias answers SERVFAIL, ARCHITECTURE.md §5) and a child zone
// hiding its parent's data (a warning: names at and below a stored zone's apex are answered
// from it, RFC 1034 §4.3.2 step 2, so the parent's records there are never served).
#pragma once

#include <optional>
#include <vector>

#include "admin/working_zone.hpp"
#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/zone_rules.hpp"

namespace apex::admin {

// The zones the rules look across, as the command's edits leave them.
class ZoneSource {
 public:
  virtual ~ZoneSource() = default;
  // The closest enclosing zone of name, or none.
  virtual Result<std::optional<Name>> enclosing_zone(const Name& name) = 0;
  // A zone's content (valid until the source changes), or nullptr when there is none.
  virtual Result<const WorkingZone*> zone_content(const Name& apex) = 0;
  // The apexes of the zones strictly below apex.
  virtual Result<std::vector<Name>> zones_below(const Name& apex) = 0;
};

// What answering name in zone follows: its ALIAS target, else its CNAME target.
std::optional<AliasHop> hop_at(const WorkingZone& zone, const Name& name);

// The parent's records at and below child_apex that the child zone hides, as warnings
// ("child-hides-wildcard" for wildcards, "child-hides-data" otherwise). A delegation from
// the parent to the child hides nothing: its NS, DS and glue belong there.
std::vector<Finding> hidden_by_child(const WorkingZone& parent, const Name& child_apex);

// The cross-zone findings a change of one zone causes (after; before is the stored zone or
// null for a new one): the ALIAS loops closed by a changed ALIAS or CNAME, the parent's data
// a new zone hides, and the changed data that a stored child zone hides. Cost follows the
// change: only changed owners are followed.
Result<std::vector<Finding>> cross_zone_findings(ZoneSource& source, const WorkingZone* before,
                                                 const WorkingZone& after);

// The cross-zone findings of a stored zone, for `apexctl check`: the ALIAS loops through each
// of its ALIAS owners, and its data that stored child zones hide.
Result<std::vector<Finding>> stored_zone_findings(ZoneSource& source, const WorkingZone& zone);

}  // namespace apex::admin
