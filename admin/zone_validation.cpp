// check_zone over a working zone, split into errors and warnings.
#include "admin/zone_validation.hpp"

namespace apex::admin {

ZoneVerdict verdict_of(ZoneCheck check) {
  ZoneVerdict verdict;
  verdict.zone = std::move(check.zone);
  for (Finding& f : check.findings) {
    auto& into = f.severity == Severity::kError ? verdict.errors : verdict.warnings;
    into.push_back(std::move(f));
  }
  return verdict;
}

ZoneVerdict validate_records(const Name& apex, std::vector<Record> records) {
  return verdict_of(check_zone(apex, std::move(records)));
}

ZoneVerdict validate_zone(const WorkingZone& zone) {
  // The records one at a time: a large zone is not copied into a vector for the check.
  return verdict_of(
      check_zone(zone.apex(), [&](const RecordSink& each) { return zone.for_each_record(each); }));
}

std::vector<Name> involved_names(const Finding& finding) {
  std::vector<Name> names{finding.owner.lowercased()};
  for (const Name& n : finding.names) names.push_back(n.lowercased());
  return names;
}

}  // namespace apex::admin
