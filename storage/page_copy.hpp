// Page-for-page copies between SQLite connections (the online backup API,
// https://sqlite.org/backup.html), and the file handling backup and restore share; internal
// to storage/.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "storage/database.hpp"
#include "zones/result.hpp"

namespace apex::storage {

// Reaches the connections inside Database (a friend of it).
struct DatabaseCopy {
  static sqlite3* connection(Database& db) { return db.db_; }
};

// Pages per backup step: the copy yields between steps (and takes locks anew), so a large
// database does not hold up other connections for the whole copy.
inline constexpr int kPagesPerStep = 256;

// Copies every page of from into to, pages at a time (-1: all in one step, one transaction
// of to). BUSY and LOCKED are waited out and retried; errors are read from to, where
// SQLite reports them.
Status copy_pages(sqlite3* from, sqlite3* to, int pages);

// sqlite3_open_v2 with extended result codes; nullptr with error set when it fails.
sqlite3* open_raw(const std::filesystem::path& path, int flags, std::string& error);

// Removes the file and what SQLite may have left beside it (-journal, -wal, -shm).
void remove_database_files(const std::filesystem::path& path);

// A temporary name beside path, hidden and unique to this process: ".NAME.WHAT-PID".
std::filesystem::path beside(const std::filesystem::path& path, const char* what);

// The one integer a query returns.
Result<std::int64_t> single_integer(sqlite3* db, const char* sql);

}  // namespace apex::storage
