// The SQL over the journal table (schema in migrations.cpp); internal to storage/. Callers
// provide the transaction.
#pragma once

#include <vector>

#include "storage/journal.hpp"
#include "storage/statement_cache.hpp"
#include "storage/zone_queries.hpp"
#include "zones/result.hpp"

namespace apex::storage {

// Appends a version and drops the oldest beyond limits; a version over max_bytes empties the
// zone's journal instead. A version that does not follow the newest (its from is not that
// one's to) starts the history over.
Status insert_journal_version(StatementCache& sql, ZoneId zone, const JournalVersion& version,
                              const JournalLimits& limits);
Status delete_journal(StatementCache& sql, ZoneId zone);
Result<std::vector<JournalVersion>> select_journal(StatementCache& sql, ZoneId zone);

}  // namespace apex::storage
