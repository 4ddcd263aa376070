// The SQL over signed_versions (schema 15 in migrations.cpp): per signed zone, the serial and
// snapshot digest of the one content apexd served at that serial. Internal to storage/;
// callers provide the transaction.
#pragma once

#include <optional>

#include "storage/signed_version.hpp"
#include "storage/statement_cache.hpp"
#include "storage/zone_queries.hpp"
#include "zones/result.hpp"

namespace apex::storage {

Result<std::optional<SignedVersion>> select_signed_version(StatementCache& sql, ZoneId zone);
Status upsert_signed_version(StatementCache& sql, ZoneId zone, const SignedVersion& version);
Status delete_signed_version(StatementCache& sql, ZoneId zone);

}  // namespace apex::storage
