// Reading and renewing the database's identity token (see migrations.cpp, version 10).
#include "storage/identity_queries.hpp"

namespace apex::storage {

Result<std::string> select_identity_token(StatementCache& sql) {
  // A dropped table (apexd names it at start, `apexctl init` recreates it) reads as no token,
  // not as an error: the database is still served and followed.
  auto table = sql.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  if (!table) return Error{table.error()};
  table->bind(1, std::string_view("database_identity"));
  auto present = table->step();
  if (!present) return Error{present.error()};
  if (!*present) return std::string();
  auto st = sql.get("SELECT token FROM database_identity WHERE id = 1");
  if (!st) return Error{st.error()};
  auto row = st->step();
  if (!row) return Error{row.error()};
  if (!*row) return std::string();
  return std::string(st->text(0));
}

Status renew_identity_token(StatementCache& sql) {
  // 128 random bits: two databases never share a token by chance.
  auto st = sql.get(
      "INSERT INTO database_identity (id, token) VALUES (1, lower(hex(randomblob(16)))) "
      "ON CONFLICT (id) DO UPDATE SET token = excluded.token");
  if (!st) return Error{st.error()};
  return st->run();
}

}  // namespace apex::storage
