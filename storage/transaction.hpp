// RAII write transaction: BEGIN IMMEDIATE … COMMIT, rolled back unless committed.
#pragma once

#include <sqlite3.h>

#include "zones/result.hpp"

namespace apex::storage {

// The outermost transaction is BEGIN IMMEDIATE: it takes the write lock up front, so a
// read-modify-write (load a zone, validate the change, write it) can't interleave with another
// writer, and lock waits happen at BEGIN (under busy_timeout) rather than failing at COMMIT.
// Inside an open transaction a SAVEPOINT is used instead, so a failed inner operation undoes
// only its own writes and leaves the decision to the outer one.
class Transaction {
 public:
  static Result<Transaction> begin(sqlite3* db);
  // A read transaction (plain BEGIN): several SELECTs see one snapshot of the database (WAL),
  // without taking the write lock. Nested like begin().
  static Result<Transaction> begin_read(sqlite3* db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();  // rolls back when neither committed nor moved from

  Status commit();

 private:
  Transaction(sqlite3* db, bool nested) : db_(db), nested_(nested) {}
  static Result<Transaction> start(sqlite3* db, const char* outermost);
  void roll_back();
  sqlite3* db_;
  bool nested_;
  bool open_ = true;
};

}  // namespace apex::storage
