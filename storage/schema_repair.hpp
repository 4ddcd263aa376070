// Tables and indexes of the current schema that a database lacks (dropped by hand, or lost
// with a damaged file), found by comparing it with a fresh schema, and recreated.
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

#include "zones/result.hpp"

namespace apex::storage {

// One table or index as the current schema defines it.
struct SchemaObject {
  std::string type;  // "table" or "index"
  std::string name;
  std::string sql;  // its CREATE statement, with every column later migrations added

  std::string describe() const { return type + " " + name; }
};

// The current schema's tables and indexes that db lacks, tables first. Only names are
// compared: a table that exists with other columns is not reported.
Result<std::vector<SchemaObject>> missing_schema_objects(sqlite3* db);

// Creates what missing_schema_objects() reports, in one transaction, and seeds a recreated
// one-row table (catalog) as its migration did. Returns what was created. The rows a dropped
// table held are gone: this restores the structure, so that every command works again.
Result<std::vector<SchemaObject>> repair_schema(sqlite3* db);

}  // namespace apex::storage
