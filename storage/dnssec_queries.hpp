// The SQL over dnssec_keys and dnssec_settings (schema in migrations.cpp); internal to
// storage/. Callers provide the transaction.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "storage/dnssec_store.hpp"
#include "storage/statement_cache.hpp"
#include "storage/zone_queries.hpp"
#include "zones/result.hpp"

namespace apex::storage {

Status insert_dnssec_key(StatementCache& sql, ZoneId zone, const DnssecKeyRow& key);
// Active keys of the zone become retired; how many did.
Result<std::size_t> retire_dnssec_keys(StatementCache& sql, ZoneId zone);
// The key's times; false when the zone has no key of that id.
Result<bool> update_dnssec_key_times(StatementCache& sql, ZoneId zone, std::int64_t key_id,
                                     const KeyTimes& times);
Status upsert_dnssec_settings(StatementCache& sql, ZoneId zone, const DnssecSettings& settings);
// The zone's keys (oldest first) and settings.
Result<ZoneDnssec> select_zone_dnssec(StatementCache& sql, ZoneId zone, const Name& apex);
// Every zone with an active key, by name: what apexd signs at startup.
Result<std::vector<ZoneDnssec>> select_signed_zones(StatementCache& sql);

}  // namespace apex::storage
