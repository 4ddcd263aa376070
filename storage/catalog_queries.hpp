// The SQL over the catalog table and the zones' member labels (schema in migrations.cpp);
// internal to storage/. Callers provide the transaction.
#pragma once

#include <optional>
#include <vector>

#include "storage/catalog.hpp"
#include "storage/statement_cache.hpp"
#include "zones/result.hpp"

namespace apex::storage {

Result<CatalogState> select_catalog_state(StatementCache& sql);
Result<std::vector<CatalogMember>> select_catalog_members(StatementCache& sql);
Status update_catalog_name(StatementCache& sql, const std::optional<Name>& name);
// RFC 1982 §3.1: serial + 1, wrapping past 2^32 - 1 to 1 (0 is skipped: some consumers
// treat it as "no serial").
Status bump_catalog_serial(StatementCache& sql);

}  // namespace apex::storage
