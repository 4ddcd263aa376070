// The SQL over dnssec_signatures (schema in migrations.cpp); internal to storage/. Callers
// provide the transaction.
#pragma once

#include "storage/signature_store.hpp"
#include "storage/statement_cache.hpp"
#include "storage/zone_queries.hpp"
#include "zones/result.hpp"

namespace apex::storage {

// The zone's stored signatures; a row whose columns are not what the schema says is an error.
Result<ZoneSignatures> select_zone_signatures(StatementCache& sql, ZoneId zone);

// Brings the zone's rows from previous (what is stored) to current: inserts the signatures
// that are new or whose RRSIG changed, deletes those no longer there; unchanged rows are not
// written.
Result<SignatureWrite> write_zone_signatures(StatementCache& sql, ZoneId zone,
                                             const ZoneSignatures& previous,
                                             const ZoneSignatures& current);

}  // namespace apex::storage
