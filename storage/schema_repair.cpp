// Tables and indexes of the current schema that a database lacks, found and recreated.
#include "storage/schema_repair.hpp"

#include <memory>
#include <set>

#include "storage/migrations.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"

namespace apex::storage {
namespace {

// The rows a migration inserted into a table that must never be empty: one catalog row
// (migration 8), whose serial starts at the Unix time again, above what consumers may hold
// from before (RFC 9432 §5.2 only needs it to move forward from their view); and one
// identity row (migration 10).
struct Seed {
  const char* table;
  const char* sql;
};
constexpr Seed kSeeds[] = {
    {"catalog",
     "INSERT INTO catalog (id, name, serial) "
     "VALUES (1, NULL, max(1, CAST(strftime('%s', 'now') AS INTEGER) % 4294967296))"},
    // A new token: the database's content may not be what it was (migration 10).
    {"database_identity",
     "INSERT INTO database_identity (id, token) VALUES (1, lower(hex(randomblob(16))))"},
};

// Tables before indexes (an index needs its table); SQLite's own objects (sqlite_sequence,
// automatic indexes) come back by themselves.
constexpr const char* kObjects =
    "SELECT type, name, sql FROM sqlite_master "
    "WHERE type IN ('table', 'index') AND sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
    "ORDER BY type = 'index', rowid";

Result<std::vector<SchemaObject>> objects_of(sqlite3* db) {
  auto prepared = PreparedStatement::prepare(db, kObjects, false);
  if (!prepared) return Error{prepared.error()};
  Statement query(prepared->get());
  std::vector<SchemaObject> out;
  for (;;) {
    auto row = query.step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    out.push_back(
        {std::string(query.text(0)), std::string(query.text(1)), std::string(query.text(2))});
  }
}

// The current schema as a fresh database holds it: the migrations run in memory.
Result<std::vector<SchemaObject>> current_schema() {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> memory(raw, sqlite3_close);
  if (rc != SQLITE_OK) return Error{"cannot open an in-memory database for the schema"};
  if (auto migrated = migrate(raw); !migrated) return Error{migrated.error()};
  return objects_of(raw);
}

}  // namespace

Result<std::vector<SchemaObject>> missing_schema_objects(sqlite3* db) {
  auto wanted = current_schema();
  if (!wanted) return Error{wanted.error()};
  auto present = objects_of(db);
  if (!present) return Error{present.error()};
  std::set<std::string> names;
  for (const SchemaObject& o : *present) names.insert(o.name);
  std::vector<SchemaObject> missing;
  for (SchemaObject& o : *wanted)
    if (!names.contains(o.name)) missing.push_back(std::move(o));
  return missing;
}

Result<std::vector<SchemaObject>> repair_schema(sqlite3* db) {
  auto tx = Transaction::begin(db);
  if (!tx) return Error{tx.error()};
  // Read inside the write lock: two processes repairing at once create each object once.
  auto missing = missing_schema_objects(db);
  if (!missing) return Error{missing.error()};
  for (const SchemaObject& o : *missing) {
    if (auto created = execute(db, o.sql.c_str()); !created)
      return Error{"recreating " + o.describe() + ": " + created.error()};
    for (const Seed& seed : kSeeds) {
      if (o.name != seed.table) continue;
      if (auto seeded = execute(db, seed.sql); !seeded)
        return Error{"seeding " + o.describe() + ": " + seeded.error()};
    }
  }
  if (auto committed = tx->commit(); !committed) return Error{committed.error()};
  return missing;
}

}  // namespace apex::storage
