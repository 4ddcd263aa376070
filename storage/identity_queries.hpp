// The SQL over the database_identity table (migration 10); internal to storage/.
#pragma once

#include <string>

#include "storage/statement_cache.hpp"
#include "zones/result.hpp"

namespace apex::storage {

// The database's identity token; "" when the table or its row is missing (a damaged schema).
Result<std::string> select_identity_token(StatementCache& sql);
// Gives the database a new random token.
Status renew_identity_token(StatementCache& sql);

}  // namespace apex::storage
