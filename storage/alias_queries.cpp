// Alias settings and persisted flattener results in and out; names are stored lower-cased.
#include "storage/alias_queries.hpp"

#include <string>

#include "storage/stored_name.hpp"

namespace apex::storage {
namespace {

Result<AliasTargetRow> read_target(const Statement& st) {
  auto target = stored_name(st.text(0), "alias target");
  if (!target) return Error{target.error()};
  AliasTargetRow row;
  row.target = *target;
  row.family = static_cast<std::uint16_t>(st.int64(1));
  row.state = std::string(st.text(2));
  row.addresses = std::string(st.text(3));
  row.ttl = static_cast<std::uint32_t>(st.int64(4));
  row.chain = std::string(st.text(5));
  row.last_success_ms = st.int64(6);
  row.last_attempt_ms = st.int64(7);
  row.failing_since_ms = st.int64(8);
  row.negative_since_ms = st.int64(9);
  row.next_refresh_ms = st.int64(10);
  row.last_error = std::string(st.text(11));
  row.last_error_ms = st.int64(12);
  row.consecutive_failures = static_cast<std::uint32_t>(st.int64(13));
  row.served_ttl = static_cast<std::uint32_t>(st.int64(14));
  row.source = std::string(st.text(15));
  return row;
}

}  // namespace

Status upsert_alias_settings(StatementCache& sql, ZoneId zone, const AliasSettings& s) {
  auto st = sql.get(
      "INSERT INTO alias_settings (zone_id, owner, fallback, health) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (zone_id, owner) DO UPDATE SET fallback = ?3, health = ?4");
  if (!st) return Error{st.error()};
  st->bind(1, zone).bind(2, name_key(s.owner)).bind(3, s.fallback).bind(4, s.health);
  return st->run();
}

Result<std::size_t> delete_alias_settings_row(StatementCache& sql, ZoneId zone, const Name& owner) {
  auto st = sql.get("DELETE FROM alias_settings WHERE zone_id = ?1 AND owner = ?2");
  if (!st) return Error{st.error()};
  st->bind(1, zone).bind(2, name_key(owner));
  if (auto done = st->run(); !done) return Error{done.error()};
  return st->changes();
}

Result<std::vector<AliasSettings>> select_alias_settings(StatementCache& sql,
                                                         std::optional<ZoneId> zone) {
  auto st = zone ? sql.get(
                       "SELECT owner, fallback, health FROM alias_settings WHERE zone_id = ?1 "
                       "ORDER BY owner")
                 : sql.get("SELECT owner, fallback, health FROM alias_settings ORDER BY owner");
  if (!st) return Error{st.error()};
  if (zone) st->bind(1, *zone);
  std::vector<AliasSettings> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    auto owner = stored_name(st->text(0), "alias owner");
    if (!owner) return Error{owner.error()};
    out.push_back({*owner, std::string(st->text(1)), std::string(st->text(2))});
  }
}

Status upsert_alias_target(StatementCache& sql, const AliasTargetRow& r) {
  auto st = sql.get(
      "INSERT OR REPLACE INTO alias_state (target, family, state, addresses, ttl, chain, "
      "last_success_ms, last_attempt_ms, failing_since_ms, negative_since_ms, next_refresh_ms, "
      "last_error, last_error_ms, consecutive_failures, served_ttl, source) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  if (!st) return Error{st.error()};
  st->bind(1, name_key(r.target)).bind(2, r.family).bind(3, r.state).bind(4, r.addresses);
  st->bind(5, r.ttl).bind(6, r.chain).bind(7, r.last_success_ms).bind(8, r.last_attempt_ms);
  st->bind(9, r.failing_since_ms).bind(10, r.negative_since_ms).bind(11, r.next_refresh_ms);
  st->bind(12, r.last_error).bind(13, r.last_error_ms).bind(14, r.consecutive_failures);
  st->bind(15, r.served_ttl).bind(16, r.source);
  return st->run();
}

Result<std::size_t> delete_alias_target_rows(StatementCache& sql, const Name& target) {
  auto st = sql.get("DELETE FROM alias_state WHERE target = ?1");
  if (!st) return Error{st.error()};
  st->bind(1, name_key(target));
  if (auto done = st->run(); !done) return Error{done.error()};
  return st->changes();
}

Result<std::vector<AliasTargetRow>> select_alias_targets(StatementCache& sql) {
  auto st = sql.get(
      "SELECT target, family, state, addresses, ttl, chain, last_success_ms, last_attempt_ms, "
      "failing_since_ms, negative_since_ms, next_refresh_ms, last_error, last_error_ms, "
      "consecutive_failures, served_ttl, source FROM alias_state ORDER BY target, family");
  if (!st) return Error{st.error()};
  std::vector<AliasTargetRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    auto target = read_target(*st);
    if (!target) return Error{target.error()};
    out.push_back(std::move(*target));
  }
}

}  // namespace apex::storage
