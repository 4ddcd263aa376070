// Prepared SQLite statements: ownership (PreparedStatement) and one execution (Statement).
// Internal to storage/: the only headers allowed to include sqlite3.h live here.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "zones/result.hpp"

namespace apex::storage {

// Owns one compiled statement; finalized on destruction.
class PreparedStatement {
 public:
  // persistent: a hint to SQLite that the statement is cached and reused many times.
  static Result<PreparedStatement> prepare(sqlite3* db, std::string_view sql, bool persistent);
  PreparedStatement(PreparedStatement&& other) noexcept;
  PreparedStatement& operator=(PreparedStatement&& other) noexcept;
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;
  ~PreparedStatement();

  sqlite3_stmt* get() const { return stmt_; }

 private:
  explicit PreparedStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  sqlite3_stmt* stmt_ = nullptr;
};

// One execution of a prepared statement: bind, step, read columns. Resets the statement and
// clears its bindings when it goes out of scope, so a half-read SELECT never keeps a read
// transaction (and its WAL snapshot) open after the caller is done with it.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are numbered from 1. A binding error is reported by the next step().
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::optional<std::int64_t> value);  // none: NULL
  Statement& bind(int index, std::string_view text);
  // Binds text without SQLite copying it: text must stay unchanged until the statement has
  // run (a change-log entry of a large import is tens of megabytes).
  Statement& bind_unowned(int index, std::string_view text);
  Statement& bind_blob(int index, std::span<const std::uint8_t> blob);

  // True when a row is ready, false when the statement has finished.
  Result<bool> step();
  // Steps a statement that returns no rows to completion.
  Status run();
  // Makes the statement ready to run again (bindings are kept: rebind what changes).
  void reset();
  // Rows changed by the last INSERT, UPDATE or DELETE run on this connection.
  std::size_t changes() const;

  // Columns are numbered from 0. Views stay valid until the next step().
  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string_view text(int column) const;
  std::span<const std::uint8_t> blob(int column) const;

 private:
  void record_bind(int rc);
  sqlite3_stmt* stmt_;
  int bind_error_ = SQLITE_OK;
};

// Runs SQL that returns no rows (several statements allowed): DDL, pragmas, BEGIN/COMMIT.
Status execute(sqlite3* db, const char* sql);

}  // namespace apex::storage
