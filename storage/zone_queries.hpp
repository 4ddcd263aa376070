// The SQL over the zones and records tables (schema in migrations.cpp); internal to storage/.
// Callers provide the transaction; errors carry SQLite's message without the database name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "storage/database.hpp"
#include "storage/statement_cache.hpp"
#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex::storage {

using ZoneId = std::int64_t;

Result<std::optional<ZoneId>> find_zone_id(StatementCache& sql, const Name& apex);
Result<ZoneId> insert_zone(StatementCache& sql, const Name& apex);
Result<std::size_t> delete_zone_row(StatementCache& sql, ZoneId zone);
Result<std::optional<bool>> select_zone_provider(StatementCache& sql, const Name& apex);
Status update_zone_provider(StatementCache& sql, ZoneId zone, bool provider);
Result<std::vector<Name>> select_provider_zones(StatementCache& sql);
Result<std::vector<ZoneReference>> select_references_to(StatementCache& sql, const Name& apex);

Status insert_records(StatementCache& sql, ZoneId zone, const std::vector<Record>& records);
Status insert_records(StatementCache& sql, ZoneId zone, const RecordSource& records);
Result<std::size_t> delete_zone_records(StatementCache& sql, ZoneId zone);
Result<std::size_t> delete_owner_records(StatementCache& sql, ZoneId zone, const Name& owner,
                                         std::optional<RRType> type);
Result<std::size_t> delete_exact_record(StatementCache& sql, ZoneId zone, const Record& record);

Result<std::vector<ZoneSummary>> select_zone_summaries(StatementCache& sql);
Result<std::optional<std::vector<Record>>> select_zone_records(StatementCache& sql,
                                                               const Name& apex);
// The same, each record to each as it is read; false when the zone is not stored.
Result<bool> select_zone_records(StatementCache& sql, const Name& apex, const RecordSink& each);
// One query over all records ordered by zone: no per-zone round trips (startup cost).
Status stream_zones(StatementCache& sql, const Database::ZoneVisitor& visit);

}  // namespace apex::storage
