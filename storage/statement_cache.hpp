// Compiles each SQL text once per connection and hands out executions of it.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/statement.hpp"
#include "zones/result.hpp"

namespace apex::storage {

class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}

  // An execution of sql, prepared on first use. While it is alive the same SQL must not be
  // started again (statements are not re-entrant); a nested use gets an error, not a reset.
  Result<Statement> get(std::string_view sql);

  sqlite3* db() const { return db_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_;
  std::unordered_map<std::string, PreparedStatement, Hash, std::equal_to<>> cache_;
};

}  // namespace apex::storage
