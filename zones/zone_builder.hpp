// Builds a validated Zone snapshot from records; a zone that fails validation is never built.
#pragma once

#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"
#include "zones/zone.hpp"
#include "zones/zone_rules.hpp"

namespace apex {

// Validates (RFC 1034/1035/2181: exactly one SOA, at the apex; NS at the apex; every record
// inside the zone; CNAME alone at its owner and not at the apex; one TTL per RRset; class IN;
// ARCHITECTURE.md §5 ALIAS rules: one per owner, no CNAME or static A/AAAA beside it, not pointing
// at its owner, not at or below a delegation; RFC 1034 §4.2.1: at a zone cut only NS, DS and
// glue, below it only glue addresses) and indexes the records: empty non-terminals,
// delegation points, additional targets. Duplicate records are merged (RFC 2181 §5). Errors name
// the offending owner and type.
//
// Whose records a snapshot is built from: the operator's, under every rule; or a signed
// zone's, as the signer output them, where an ALIAS owner also holds the A/AAAA it serves,
// flattened and signed when the snapshot was built (ARCHITECTURE.md §4).
enum class RecordOrigin : std::uint8_t { kOperator, kSigner };

Result<ZonePtr> build_zone(const Name& apex, std::vector<Record> records,
                           RecordOrigin origin = RecordOrigin::kOperator);
// The same for records that another form holds (a zone being imported), without a vector
// of them: the rules are checked in the order the source sends the records.
Result<ZonePtr> build_zone(const Name& apex, const RecordSource& records);

// build_zone with its refusal as findings: every error of the first rule group that fails
// (one record, or the whole zone's nodes), in canonical order.
std::variant<ZonePtr, std::vector<Finding>> build_zone_findings(
    const Name& apex, std::vector<Record> records, RecordOrigin origin = RecordOrigin::kOperator);
std::variant<ZonePtr, std::vector<Finding>> build_zone_findings(
    const Name& apex, const RecordSource& records, RecordOrigin origin = RecordOrigin::kOperator);

// The domain name inside RDATA that additional section processing follows (NS, MX and SRV
// targets: RFC 1035 §3.3.9, RFC 2782), or none for other types or malformed RDATA.
std::optional<Name> additional_target(RRType type, std::span<const std::uint8_t> rdata);

}  // namespace apex
