// Data at and below delegations (RFC 1034 §4.2.1), glue (RFC 9471) and name server addresses.
#include "admin/zone_rules.hpp"

#include <optional>
#include <set>

namespace apex::admin {
namespace {

using NameSet = std::set<Name, CanonicalLess>;

bool is_address(RRType type) {
  return type == RRType::A || type == RRType::AAAA;
}

// Beside its NS RRset a delegation point holds the parent-side DS and its DNSSEC proof
// (RFC 4035 §2.4, §2.3), and glue when a name server is named after the cut itself.
bool allowed_at_cut(RRType type) {
  return type == RRType::NS || type == RRType::DS || type == RRType::NSEC ||
         type == RRType::RRSIG || is_address(type);
}

std::string describe(const RRsetData& rrset, RRType type) {
  return rrset.owner.to_text() + " " + rrtype_to_text(type);
}

// Lower-cased owners of the NS RRsets below the apex.
NameSet delegation_points(const WorkingZone& zone) {
  NameSet cuts;
  for (const auto& [key, rrset] : zone.rrsets()) {
    if (key.type == RRType::NS && !(key.owner == zone.apex())) cuts.insert(key.owner);
  }
  return cuts;
}

// The highest delegation point at or above owner: everything below it is the child's.
std::optional<Name> enclosing_cut(const NameSet& cuts, const Name& owner, const Name& apex) {
  std::optional<Name> cut;
  if (cuts.empty()) return cut;
  for (Name n = owner; !(n == apex) && n.is_subdomain_of(apex); n = n.parent()) {
    if (cuts.contains(n)) cut = n;
  }
  return cut;
}

// The names NS records of this zone point to, lower-cased.
NameSet name_server_targets(const WorkingZone& zone) {
  NameSet targets;
  for (const auto& [key, rrset] : zone.rrsets()) {
    if (key.type != RRType::NS) continue;
    for (const Rdata& rdata : rrset.rdatas) {
      if (auto target = Name::from_wire(rdata)) targets.insert(target->lowercased());
    }
  }
  return targets;
}

void classify(const RRsetKey& key, const RRsetData& rrset, const Name& cut,
              DelegationReport& report) {
  const bool at_cut = key.owner == cut;
  if (is_address(key.type)) {
    report.glue.push_back(GlueRecord{rrset.owner, key.type, cut});
    return;
  }
  if (at_cut && allowed_at_cut(key.type)) return;
  const std::string where =
      at_cut ? ": not allowed at the delegation point " + cut.to_text() +
                   " (RFC 1034 §4.2.1: beside NS, a zone cut holds only DS and glue addresses)"
             : ": occluded by the delegation at " + cut.to_text() +
                   " (RFC 1034 §4.2.1: below a zone cut only glue addresses, A and AAAA, may "
                   "be kept)";
  report.errors.push_back(
      RuleFinding{describe(rrset, key.type) + where + "; this data belongs in the delegated zone",
                  {key.owner, cut}});
}

// NS targets inside the zone need addresses in it: as glue below a cut (RFC 9471), as
// ordinary data elsewhere; without them resolvers cannot reach those servers.
void check_name_server_addresses(const WorkingZone& zone, const NameSet& cuts,
                                 DelegationReport& report) {
  for (const auto& [key, rrset] : zone.rrsets()) {
    if (key.type != RRType::NS) continue;
    for (const Rdata& rdata : rrset.rdatas) {
      auto target = Name::from_wire(rdata);
      if (!target || !target->is_subdomain_of(zone.apex())) continue;
      if (zone.find(*target, RRType::A) || zone.find(*target, RRType::AAAA)) continue;
      const bool glue = enclosing_cut(cuts, *target, zone.apex()).has_value();
      const std::string what =
          glue ? ": no glue address (A or AAAA at " + target->to_text() +
                     "); resolvers cannot follow the delegation to it (RFC 9471)"
               : ": " + target->to_text() + " has no A or AAAA record in this zone";
      report.warnings.push_back(
          RuleFinding{describe(rrset, key.type) + " " + target->to_text() + what,
                      {key.owner, target->lowercased()}});
    }
  }
}

void check_unused_glue(const NameSet& targets, DelegationReport& report) {
  for (const GlueRecord& glue : report.glue) {
    if (targets.contains(glue.owner.lowercased())) continue;
    report.warnings.push_back(RuleFinding{
        glue.owner.to_text() + " " + rrtype_to_text(glue.type) + ": glue below the delegation " +
            glue.cut.to_text() + " that no NS record names (it is never served as glue)",
        {glue.owner.lowercased(), glue.cut}});
  }
}

}  // namespace

DelegationReport check_delegations(const WorkingZone& zone) {
  DelegationReport report;
  const NameSet cuts = delegation_points(zone);
  for (const auto& [key, rrset] : zone.rrsets()) {
    if (auto cut = enclosing_cut(cuts, key.owner, zone.apex())) classify(key, rrset, *cut, report);
  }
  check_name_server_addresses(zone, cuts, report);
  check_unused_glue(name_server_targets(zone), report);
  return report;
}

}  // namespace apex::admin
