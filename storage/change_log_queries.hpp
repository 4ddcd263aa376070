// The SQL over the change_log table (schema in migrations.cpp); internal to storage/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "storage/change_log.hpp"
#include "storage/statement_cache.hpp"
#include "zones/result.hpp"

namespace apex::storage {

Status insert_change(StatementCache& sql, const ChangeEntry& entry);
Result<std::int64_t> select_last_change_id(StatementCache& sql);
Result<std::int64_t> select_data_version(StatementCache& sql);
Result<std::vector<LoggedChange>> select_changes_after(StatementCache& sql, std::int64_t id,
                                                       std::size_t limit);
Result<std::vector<LoggedChange>> select_history(StatementCache& sql,
                                                 const std::optional<Name>& zone,
                                                 std::size_t limit);
// The entry with that id: none or one.
Result<std::vector<LoggedChange>> select_change(StatementCache& sql, std::int64_t id);
Result<std::vector<LoggedChange>> select_zone_changes_after(StatementCache& sql, const Name& zone,
                                                            std::int64_t id);

}  // namespace apex::storage
