// RAII write transaction: BEGIN IMMEDIATE … COMMIT, rolled back unless committed.
#include "storage/transaction.hpp"

#include <utility>

#include "storage/statement.hpp"

namespace apex::storage {

Result<Transaction> Transaction::begin(sqlite3* db) {
  return start(db, "BEGIN IMMEDIATE");
}

Result<Transaction> Transaction::begin_read(sqlite3* db) {
  return start(db, "BEGIN");
}

Result<Transaction> Transaction::start(sqlite3* db, const char* outermost) {
  // sqlite3_get_autocommit is non-zero exactly when no transaction is open.
  const bool nested = sqlite3_get_autocommit(db) == 0;
  auto started = execute(db, nested ? "SAVEPOINT apex_nested" : outermost);
  if (!started) return Error{"starting a transaction: " + started.error()};
  return Transaction(db, nested);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_), nested_(other.nested_), open_(std::exchange(other.open_, false)) {}

Transaction::~Transaction() {
  if (open_) roll_back();
}

Status Transaction::commit() {
  auto done = execute(db_, nested_ ? "RELEASE apex_nested" : "COMMIT");
  if (!done) return Error{"committing: " + done.error()};
  open_ = false;
  return Ok{};
}

void Transaction::roll_back() {
  open_ = false;
  // Errors are ignored: after some failures (SQLITE_FULL, IOERR, NOMEM) SQLite has already
  // rolled back on its own, and there is nobody left to report to from a destructor.
  if (nested_) {
    (void)execute(db_, "ROLLBACK TO apex_nested; RELEASE apex_nested");
  } else if (sqlite3_get_autocommit(db_) == 0) {
    (void)execute(db_, "ROLLBACK");
  }
}

}  // namespace apex::storage
