// Compiles each SQL text once per connection and hands out executions of it.
#include "storage/statement_cache.hpp"

namespace apex::storage {

Result<Statement> StatementCache::get(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto prepared = PreparedStatement::prepare(db_, sql, /*persistent=*/true);
    if (!prepared) return Error{prepared.error()};
    it = cache_.emplace(std::string(sql), std::move(prepared).value()).first;
  }
  // sqlite3_stmt_busy: stepped but not yet reset, i.e. another Statement is still using it.
  if (sqlite3_stmt_busy(it->second.get()) != 0) {
    return Error{"internal error: statement used re-entrantly: " + std::string(sql)};
  }
  return Statement(it->second.get());
}

}  // namespace apex::storage
