// Change log rows in and out; zone names are stored lower-cased like the zones table.
#include "storage/change_log_queries.hpp"

#include <string>

namespace apex::storage {
namespace {

// '' marks a transfer-settings entry (no zone).
Result<std::optional<Name>> stored_zone(std::string_view text) {
  if (text.empty()) return std::optional<Name>();
  auto zone = Name::from_text(text);
  if (!zone) return Error{zone.error()};
  return std::optional<Name>(std::move(*zone));
}

Result<std::vector<LoggedChange>> read_changes(Statement& st) {
  std::vector<LoggedChange> out;
  for (;;) {
    auto row = st.step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    auto zone = stored_zone(st.text(2));
    if (!zone)
      return Error{"change log entry " + std::to_string(st.int64(0)) + ": " + zone.error()};
    std::optional<std::string> comment;
    if (!st.is_null(6)) comment = std::string(st.text(6));
    out.push_back(
        LoggedChange{st.int64(0), st.int64(1),
                     ChangeEntry{std::move(*zone), std::string(st.text(3)), std::string(st.text(4)),
                                 std::string(st.text(5)), std::move(comment)}});
  }
}

constexpr const char* kColumns =
    "SELECT id, at, zone, actor, operation, detail, comment FROM change_log ";

Result<std::int64_t> select_integer(StatementCache& sql, std::string_view query) {
  auto st = sql.get(query);
  if (!st) return Error{st.error()};
  auto row = st->step();
  if (!row) return Error{row.error()};
  return st->int64(0);
}

}  // namespace

Status insert_change(StatementCache& sql, const ChangeEntry& entry) {
  auto st = sql.get(
      "INSERT INTO change_log (zone, actor, operation, detail, comment) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!st) return Error{st.error()};
  st->bind(1, entry.zone ? entry.zone->lowercased().to_text() : std::string());
  st->bind(2, entry.actor);
  st->bind(3, entry.operation);
  st->bind_unowned(4, entry.detail);  // entry outlives the statement's run below
  if (entry.comment) st->bind(5, *entry.comment);
  return st->run();
}

Result<std::int64_t> select_last_change_id(StatementCache& sql) {
  return select_integer(sql, "SELECT coalesce(max(id), 0) FROM change_log");
}

Result<std::int64_t> select_data_version(StatementCache& sql) {
  return select_integer(sql, "PRAGMA data_version");
}

Result<std::vector<LoggedChange>> select_changes_after(StatementCache& sql, std::int64_t id,
                                                       std::size_t limit) {
  auto st = sql.get(std::string(kColumns) + "WHERE id > ?1 ORDER BY id LIMIT ?2");
  if (!st) return Error{st.error()};
  st->bind(1, id);
  st->bind(2, static_cast<std::int64_t>(limit));
  return read_changes(*st);
}

Result<std::vector<LoggedChange>> select_history(StatementCache& sql,
                                                 const std::optional<Name>& zone,
                                                 std::size_t limit) {
  auto st = zone ? sql.get(std::string(kColumns) + "WHERE zone = ?1 ORDER BY id DESC LIMIT ?2")
                 : sql.get(std::string(kColumns) + "ORDER BY id DESC LIMIT ?2");
  if (!st) return Error{st.error()};
  if (zone) st->bind(1, zone->lowercased().to_text());
  st->bind(2, static_cast<std::int64_t>(limit));
  return read_changes(*st);
}

Result<std::vector<LoggedChange>> select_change(StatementCache& sql, std::int64_t id) {
  auto st = sql.get(std::string(kColumns) + "WHERE id = ?1");
  if (!st) return Error{st.error()};
  st->bind(1, id);
  return read_changes(*st);
}

Result<std::vector<LoggedChange>> select_zone_changes_after(StatementCache& sql, const Name& zone,
                                                            std::int64_t id) {
  auto st = sql.get(std::string(kColumns) + "WHERE zone = ?1 AND id > ?2 ORDER BY id");
  if (!st) return Error{st.error()};
  st->bind(1, zone.lowercased().to_text());
  st->bind(2, id);
  return read_changes(*st);
}

}  // namespace apex::storage
