// The catalog zone (RFC 9432, schema version 2) that lists every served zone, for secondaries
// that provision their zones from it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"
#include "zones/zone.hpp"

namespace apex {

// One member zone (RFC 9432 §4.1): its apex and the label that identifies it in the catalog.
// The label stays the same for the zone's lifetime; a zone deleted and created again gets a
// new one, so that consumers see a new member (RFC 9432 §4.1, §5.4).
struct CatalogMember {
  Name zone;
  std::string label;  // one DNS label, e.g. 16 lower-case hex digits
};

// The records of the catalog at apex (RFC 9432 §4): the SOA with serial, NS "invalid."
// (§4.1: a catalog is never resolved, its NS only makes it a valid zone), version TXT "2"
// (§4.2) and one PTR "<label>.zones.<apex>" per member (§4.1). Fails when a label is not a
// single label or a member's owner name would be too long.
Result<std::vector<Record>> catalog_records(const Name& apex, std::uint32_t serial,
                                            const std::vector<CatalogMember>& members);

// catalog_records() built into a validated snapshot, served and transferred like any zone.
Result<ZonePtr> build_catalog_zone(const Name& apex, std::uint32_t serial,
                                   const std::vector<CatalogMember>& members);

}  // namespace apex
