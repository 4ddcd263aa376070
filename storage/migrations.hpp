// Numbered schema migrations, tracked by PRAGMA user_version (0 = no apexdns schema yet).
#pragma once

#include <sqlite3.h>

#include <vector>

#include "zones/result.hpp"

namespace apex::storage {

// The schema version this build reads and writes.
int current_schema_version();
// Every version a migration leads to, ascending: the versions an older apexdns may have left.
std::vector<int> schema_versions();

// The database's schema version (PRAGMA user_version).
Result<int> schema_version(sqlite3* db);

// True when the database holds no tables at all (a new or empty file).
Result<bool> is_empty_database(sqlite3* db);

// Applies every migration above the database's version, in order, in one transaction: a
// failure leaves the schema as it was. The version is re-read inside the transaction, so
// two processes opening an old database at once migrate it only once. Refuses databases
// newer than this build.
Status migrate(sqlite3* db);

// migrate() up to target_version only: a database as an older apexdns left it (tests of the
// upgrade path).
Status migrate_to(sqlite3* db, int target_version);

}  // namespace apex::storage
