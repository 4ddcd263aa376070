// The rules about data at and below delegations (RFC 1034 §4.2.1) that build_zone leaves to
// the admin side: a zone cut holds only NS, DS and glue; below it only glue addresses (A,
// AAAA) may be kept, anything else is occluded. Also the warnings an operator wants:
// in-zone name servers without addresses, glue that no NS names.
#pragma once

#include <string>
#include <vector>

#include "admin/working_zone.hpp"
#include "zones/name.hpp"
#include "zones/rrtype.hpp"

namespace apex::admin {

struct RuleFinding {
  std::string message;
  std::vector<Name> owners;  // the names involved: the change that touched them caused it
};

struct GlueRecord {
  Name owner;
  RRType type = RRType::A;
  Name cut;  // the delegation it belongs to
};

struct DelegationReport {
  std::vector<RuleFinding> errors;    // occluded data: a zone holding it is refused
  std::vector<GlueRecord> glue;       // allowed, listed by "apexctl check"
  std::vector<RuleFinding> warnings;  // legal, but probably not what the operator meant
};

DelegationReport check_delegations(const WorkingZone& zone);

}  // namespace apex::admin
