// The online backup API between two connections, and temporary files beside a database.
#include "storage/page_copy.hpp"

#include <unistd.h>

#include <chrono>
#include <system_error>
#include <thread>

#include "storage/statement.hpp"

namespace apex::storage {
namespace {

// Waits for a lock before a step gives up: other writers hold it for milliseconds.
constexpr int kLockRetries = 500;
constexpr std::chrono::milliseconds kLockRetryPause{10};

std::string message_of(sqlite3* db) {
  return db != nullptr ? sqlite3_errmsg(db) : "out of memory";
}

}  // namespace

Status copy_pages(sqlite3* from, sqlite3* to, int pages) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return Error{message_of(to)};
  int retries = 0;
  for (;;) {
    const int rc = sqlite3_backup_step(backup, pages);
    if (rc == SQLITE_DONE) break;
    if (rc == SQLITE_OK) continue;
    const int primary = rc & 0xff;
    if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) || ++retries > kLockRetries) break;
    std::this_thread::sleep_for(kLockRetryPause);
  }
  if (sqlite3_backup_finish(backup) != SQLITE_OK) return Error{message_of(to)};
  return Ok{};
}

sqlite3* open_raw(const std::filesystem::path& path, int flags, std::string& error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    error = message_of(db);
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_extended_result_codes(db, 1);
  return db;
}

void remove_database_files(const std::filesystem::path& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"})
    std::filesystem::remove(path.string() + suffix, ignored);
}

std::filesystem::path beside(const std::filesystem::path& path, const char* what) {
  return path.parent_path() /
         ("." + path.filename().string() + "." + what + "-" + std::to_string(::getpid()));
}

Result<std::int64_t> single_integer(sqlite3* db, const char* sql) {
  auto prepared = PreparedStatement::prepare(db, sql, false);
  if (!prepared) return Error{prepared.error()};
  Statement st(prepared->get());
  auto row = st.step();
  if (!row) return Error{row.error()};
  if (!*row) return Error{std::string("no result from ") + sql};
  return st.int64(0);
}

}  // namespace apex::storage
