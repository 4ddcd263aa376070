// The zone rules as structured findings: what refuses a zone (errors) and what is legal but
// probably a mistake (warnings, the problems named-checkzone reports by default).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/rrtype.hpp"
#include "zones/zone.hpp"

namespace apex {

enum class Severity : std::uint8_t { kError, kWarning };

std::string_view severity_text(Severity severity);  // "error", "warning"

// One broken or suspicious rule at one owner. rule is a stable id for scripts
// ("cname-and-other-data", "mx-to-cname", "missing-glue", "occluded-data", "alias-loop", ...);
// message is the whole sentence for people and names owner and type itself.
struct Finding {
  Name owner;
  RRType type = RRType::SOA;
  std::string rule;
  std::string message;
  Severity severity = Severity::kError;
  // Other names the finding involves (a delegation point, a target), lower-cased: a change
  // that touched any of them, or the owner, may have caused it.
  std::vector<Name> names;
};

// The error that refuses a zone, or the warnings of the zone built from the records.
struct ZoneCheck {
  ZonePtr zone;                   // null when refused
  std::vector<Finding> findings;  // one error when refused (building stops there)
  bool ok() const { return zone != nullptr; }
};

// build_zone (its error rules, as apexd applies them when it loads a zone), then
// zone_warnings over the zone it built.
ZoneCheck check_zone(const Name& apex, std::vector<Record> records);
// The same over records another form holds (a zone being imported), in the order sent.
ZoneCheck check_zone(const Name& apex, const RecordSource& records);

// The warnings over a built zone, in canonical order of owners within each rule:
// - name servers (RFC 1034 §4.2.2, RFC 9471), mail exchangers (RFC 1035 §3.3.9) and SRV
//   targets (RFC 2782) inside the zone that are a CNAME (RFC 2181 §10.3: "ns-to-cname",
//   "mx-to-cname", "srv-to-cname") or have no address ("missing-glue" below a cut,
//   "ns-target-no-address", "mx-target-no-address", "srv-target-no-address");
// - glue that no NS record names ("unused-glue");
// - a "*" label that is not the leftmost ("non-terminal-wildcard", RFC 4592 §2.1.1).
std::vector<Finding> zone_warnings(const Zone& zone);

// An address record below a delegation: allowed, served as glue when an NS names it.
struct GlueRecord {
  Name owner;
  RRType type = RRType::A;
  Name cut;  // the delegation it belongs to
};

// The zone's glue in canonical order.
std::vector<GlueRecord> zone_glue(const Zone& zone);

// The ALIAS or CNAME a served name holds, which answering it follows.
struct AliasHop {
  Name target;
  RRType type = RRType::ALIAS;
};
using NextHop = std::function<std::optional<AliasHop>(const Name& name)>;

// The "alias-loop" error when following ALIAS and CNAME targets from start comes back to
// start through at least one ALIAS (such an ALIAS can never be flattened: it answers
// SERVFAIL, ARCHITECTURE.md §5); its names are the loop's. Only a cycle through start counts:
// a chain that runs into a cycle elsewhere is that cycle's finding; so does a chain longer
// than max_hops.
std::optional<Finding> alias_loop_from(const Name& start, const NextHop& next,
                                       std::size_t max_hops = 64);

// The canonical order of findings: by owner, then type.
bool finding_before(const Finding& a, const Finding& b);

}  // namespace apex
