// Prepared SQLite statements: ownership (PreparedStatement) and one execution (Statement).
#include "storage/statement.hpp"

#include <string>
#include <utility>

namespace apex::storage {

Result<PreparedStatement> PreparedStatement::prepare(sqlite3* db, std::string_view sql,
                                                     bool persistent) {
  sqlite3_stmt* stmt = nullptr;
  const unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
  const int rc =
      sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), flags, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error{sqlite3_errmsg(db)};
  }
  return PreparedStatement(stmt);
}

PreparedStatement::PreparedStatement(PreparedStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)) {}

PreparedStatement& PreparedStatement::operator=(PreparedStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

PreparedStatement::~PreparedStatement() {
  sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_error_(other.bind_error_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

// Keeps the first failure so that step() can report it.
void Statement::record_bind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

Statement& Statement::bind(int index, std::int64_t value) {
  record_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
  record_bind(value ? sqlite3_bind_int64(stmt_, index, *value) : sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the text, so temporaries may be bound.
  record_bind(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind_unowned(int index, std::string_view text) {
  record_bind(
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC));
  return *this;
}

Statement& Statement::bind_blob(int index, std::span<const std::uint8_t> blob) {
  // A zero-length blob must still be a blob, not NULL: bind_zeroblob keeps the type.
  const int rc = blob.empty() ? sqlite3_bind_zeroblob(stmt_, index, 0)
                              : sqlite3_bind_blob(stmt_, index, blob.data(),
                                                  static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  record_bind(rc);
  return *this;
}

Result<bool> Statement::step() {
  if (bind_error_ != SQLITE_OK)
    return Error{std::string("binding a parameter: ") + sqlite3_errstr(bind_error_)};
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error{sqlite3_errmsg(sqlite3_db_handle(stmt_))};
}

Status Statement::run() {
  auto row = step();
  if (!row) return Error{row.error()};
  return Ok{};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  bind_error_ = SQLITE_OK;
}

std::size_t Statement::changes() const {
  return static_cast<std::size_t>(sqlite3_changes64(sqlite3_db_handle(stmt_)));
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string_view Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  return p == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(p), n);
}

std::span<const std::uint8_t> Statement::blob(int column) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  return p == nullptr ? std::span<const std::uint8_t>() : std::span<const std::uint8_t>(p, n);
}

Status execute(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return Ok{};
  std::string text = message != nullptr ? message : sqlite3_errmsg(db);
  sqlite3_free(message);
  return Error{text};
}

}  // namespace apex::storage
