// Alias settings and persisted flattener results in and out; names are stored lower-cased.
#include "storage/alias_queries.hpp"

#include <span>
#include <string>
#include <vector>

#include "storage/stored_name.hpp"

namespace apex::storage {
namespace {

using Address = std::vector<std::uint8_t>;

// A fallback column: the addresses of one family, each `width` octets, back to back.
std::vector<std::uint8_t> packed(const std::vector<Address>& addresses) {
  std::vector<std::uint8_t> out;
  for (const Address& a : addresses) out.insert(out.end(), a.begin(), a.end());
  return out;
}

// The one reader of the fallback columns. The schema's CHECK keeps their lengths whole
// multiples of the width; a file changed behind apexdns's back is still refused, not read.
Result<std::vector<Address>> unpacked(std::span<const std::uint8_t> blob, std::size_t width,
                                      const Name& owner) {
  if (blob.size() % width != 0)
    return Error{"alias settings of " + owner.to_text() + ": a fallback list of " +
                 std::to_string(blob.size()) + " octets is not of " + std::to_string(width) +
                 "-octet addresses"};
  std::vector<Address> out;
  for (std::size_t i = 0; i < blob.size(); i += width)
    out.emplace_back(blob.begin() + static_cast<std::ptrdiff_t>(i),
                     blob.begin() + static_cast<std::ptrdiff_t>(i + width));
  return out;
}

Result<AliasSettings> read_settings(const Statement& st) {
  auto owner = stored_name(st.text(0), "alias owner");
  if (!owner) return Error{owner.error()};
  AliasSettings s{*owner, {}, {}, std::nullopt};
  auto a = unpacked(st.blob(1), 4, s.owner);
  if (!a) return Error{a.error()};
  auto aaaa = unpacked(st.blob(2), 16, s.owner);
  if (!aaaa) return Error{aaaa.error()};
  s.fallback_a = std::move(*a);
  s.fallback_aaaa = std::move(*aaaa);
  if (!st.is_null(3)) {
    const std::int64_t port = st.int64(3);
    if (port < 1 || port > 65535)
      return Error{"alias settings of " + s.owner.to_text() + ": health port " +
                   std::to_string(port) + " is out of range"};
    s.health_tcp_port = static_cast<std::uint16_t>(port);
  }
  return s;
}

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
      "INSERT INTO alias_settings (zone_id, owner, fallback_a, fallback_aaaa, health_port) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (zone_id, owner) DO UPDATE SET "
      "fallback_a = ?3, fallback_aaaa = ?4, health_port = ?5");
  if (!st) return Error{st.error()};
  const auto a = packed(s.fallback_a), aaaa = packed(s.fallback_aaaa);
  st->bind(1, zone).bind(2, name_key(s.owner)).bind_blob(3, a).bind_blob(4, aaaa);
  if (s.health_tcp_port) st->bind(5, std::int64_t{*s.health_tcp_port});
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
                       "SELECT owner, fallback_a, fallback_aaaa, health_port FROM alias_settings "
                       "WHERE zone_id = ?1 ORDER BY owner")
                 : sql.get(
                       "SELECT owner, fallback_a, fallback_aaaa, health_port FROM alias_settings "
                       "ORDER BY owner");
  if (!st) return Error{st.error()};
  if (zone) st->bind(1, *zone);
  std::vector<AliasSettings> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    auto settings = read_settings(*st);
    if (!settings) return Error{settings.error()};
    out.push_back(std::move(*settings));
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
