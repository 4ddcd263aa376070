// The whole check a zone passes before it is written: build_zone (the rules the server
// enforces when it loads a zone) and then the delegation rules of zone_rules.hpp.
#pragma once

#include <optional>

#include "admin/working_zone.hpp"
#include "admin/zone_rules.hpp"

namespace apex::admin {

struct ZoneVerdict {
  std::optional<RuleFinding> error;  // the first rule the zone breaks; none when valid
  DelegationReport delegations;      // filled when build_zone accepted the zone
};

// built: build_zone accepted this content already (an import checks each file as it reads
// it; only the SOA SERIAL moved since, which no rule looks at), so only the delegation rules
// are left: a large zone is not indexed twice.
ZoneVerdict validate_zone(const WorkingZone& zone, bool built = false);

// The names inside zone that a build_zone message mentions ("www.example.com. CNAME: ...",
// "zone example.com.: no SOA ..." names the apex). Its messages name the offending owner
// first; this is how a refusal is traced back to the change that touched that name.
std::vector<Name> names_in_message(std::string_view message, const Name& apex);

}  // namespace apex::admin
