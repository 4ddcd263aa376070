// The aliases stored in the database, with their settings: what "alias list" and "alias
// status" show. Owner, TTL and target come from the ALIAS records, fallback and health
// check from alias_settings.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "storage/alias_store.hpp"
#include "storage/database.hpp"
#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex::admin {

struct AliasEntry {
  Name zone;
  Name owner;  // as written
  std::uint32_t ttl = 0;
  Name target;
  storage::AliasSettings settings;  // empty when it has none
};

// The aliases of one stored zone (nullopt when the zone is not stored), in canonical owner
// order.
Result<std::optional<std::vector<AliasEntry>>> zone_aliases(storage::Database& db,
                                                            const Name& apex);
// The aliases among a stored zone's records, with their settings, in canonical owner order.
Result<std::vector<AliasEntry>> aliases_in_zone(storage::Database& db, const Name& apex,
                                                const std::vector<Record>& records);
// The aliases of every zone, in canonical owner order (zone by zone, then owner).
Result<std::vector<AliasEntry>> all_aliases(storage::Database& db);

}  // namespace apex::admin
