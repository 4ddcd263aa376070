// The check one zone passes before it is written: the rules of zones/zone_rules.hpp, the same
// that apexd applies when it loads a zone, split into what refuses the zone and what warns.
#pragma once

#include <vector>

#include "admin/working_zone.hpp"
#include "zones/zone.hpp"
#include "zones/zone_rules.hpp"

namespace apex::admin {

struct ZoneVerdict {
  std::vector<Finding> errors;    // what refuses the zone, in canonical order; none when valid
  std::vector<Finding> warnings;  // legal, but probably not what the operator meant
  ZonePtr zone;                   // the zone built, when valid

  bool ok() const { return errors.empty(); }
};

ZoneVerdict validate_zone(const WorkingZone& zone);
ZoneVerdict validate_records(const Name& apex, std::vector<Record> records);
ZoneVerdict verdict_of(ZoneCheck check);

// The names a finding involves, lower-cased: its owner and the names it names. A change that
// touched one of them may have caused it.
std::vector<Name> involved_names(const Finding& finding);

}  // namespace apex::admin
