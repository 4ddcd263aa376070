// The SQL over secondary_state (schema in migrations.cpp); internal to storage/. Callers
// provide the transaction.
#pragma once

#include <vector>

#include "storage/secondary_state.hpp"
#include "storage/statement_cache.hpp"
#include "zones/result.hpp"

namespace apex::storage {

// Updates the columns the event is about in the rows of its secondaries (one, or for a
// transfer every secondary at the address) and zone, creating them; an event whose zone or
// secondary is not stored (deleted since) changes nothing.
Status upsert_secondary_state(StatementCache& sql, const SecondaryEvent& event);
// The rows of one zone, by secondary address and port.
Result<std::vector<SecondaryState>> select_secondary_states(StatementCache& sql, const Name& apex);

}  // namespace apex::storage
