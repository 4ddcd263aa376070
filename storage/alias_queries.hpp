// The SQL over alias_settings and alias_state (schema in migrations.cpp); internal to storage/.
#pragma once

#include <optional>
#include <vector>

#include "storage/alias_store.hpp"
#include "storage/statement_cache.hpp"
#include "storage/zone_queries.hpp"
#include "zones/result.hpp"

namespace apex::storage {

Status upsert_alias_settings(StatementCache& sql, ZoneId zone, const AliasSettings& settings);
Result<std::size_t> delete_alias_settings_row(StatementCache& sql, ZoneId zone, const Name& owner);
// Settings of one zone, or of every zone when zone is empty.
Result<std::vector<AliasSettings>> select_alias_settings(StatementCache& sql,
                                                         std::optional<ZoneId> zone);

Status upsert_alias_target(StatementCache& sql, const AliasTargetRow& row);
Result<std::size_t> delete_alias_target_rows(StatementCache& sql, const Name& target);
Result<std::vector<AliasTargetRow>> select_alias_targets(StatementCache& sql);

}  // namespace apex::storage
