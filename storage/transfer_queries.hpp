// The SQL over tsig_keys, secondaries and secondary_zones (schema in migrations.cpp); internal
// to storage/. Callers provide the transaction.
#pragma once

#include <cstddef>
#include <vector>

#include "storage/statement_cache.hpp"
#include "storage/transfer_settings.hpp"
#include "storage/zone_queries.hpp"
#include "zones/result.hpp"

namespace apex::storage {

Status insert_tsig_key(StatementCache& sql, const TsigKey& key);
Result<std::size_t> delete_tsig_key_row(StatementCache& sql, const Name& name);
Result<std::vector<TsigKey>> select_tsig_keys(StatementCache& sql);

// The secondary row and its zone list (zone_ids, when it does not get all zones).
Status insert_secondary(StatementCache& sql, const Secondary& secondary,
                        const std::vector<ZoneId>& zone_ids);
Result<std::size_t> delete_secondary_row(StatementCache& sql, const std::string& address,
                                         std::uint16_t port);
Result<std::vector<Secondary>> select_secondaries(StatementCache& sql);

}  // namespace apex::storage
