// IXFR journal rows in and out, bounded per zone (see journal_queries.hpp).
#include "storage/journal_queries.hpp"

#include <optional>

namespace apex::storage {
namespace {

Result<std::optional<std::int64_t>> newest_serial_to(StatementCache& sql, ZoneId zone) {
  auto st = sql.get("SELECT serial_to FROM journal WHERE zone_id = ?1 ORDER BY id DESC LIMIT 1");
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  auto row = st->step();
  if (!row) return Error{row.error()};
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{st->int64(0)};
}

// The id of the newest row past the limits (it and every older row go), if any.
Result<std::optional<std::int64_t>> first_row_past(StatementCache& sql, ZoneId zone,
                                                   const JournalLimits& limits) {
  auto st =
      sql.get("SELECT id, length(difference) FROM journal WHERE zone_id = ?1 ORDER BY id DESC");
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  std::size_t versions = 0, bytes = 0;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return std::optional<std::int64_t>{};
    bytes += static_cast<std::size_t>(st->int64(1));
    if (++versions > limits.max_depth || bytes > limits.max_bytes)
      return std::optional<std::int64_t>{st->int64(0)};
  }
}

Status delete_through(StatementCache& sql, ZoneId zone, std::int64_t id) {
  auto st = sql.get("DELETE FROM journal WHERE zone_id = ?1 AND id <= ?2");
  if (!st) return Error{st.error()};
  st->bind(1, zone).bind(2, id);
  return st->run();
}

}  // namespace

Status delete_journal(StatementCache& sql, ZoneId zone) {
  auto st = sql.get("DELETE FROM journal WHERE zone_id = ?1");
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  return st->run();
}

Status insert_journal_version(StatementCache& sql, ZoneId zone, const JournalVersion& version,
                              const JournalLimits& limits) {
  auto newest = newest_serial_to(sql, zone);
  if (!newest) return Error{newest.error()};
  const bool follows = *newest && **newest == static_cast<std::int64_t>(version.from);
  if ((*newest && !follows) || version.difference.size() > limits.max_bytes ||
      limits.max_depth == 0) {
    if (auto cleared = delete_journal(sql, zone); !cleared) return cleared;
    if (version.difference.size() > limits.max_bytes || limits.max_depth == 0) return Ok{};
  }
  auto st = sql.get(
      "INSERT INTO journal (zone_id, serial_from, serial_to, difference) VALUES (?1, ?2, ?3, ?4)");
  if (!st) return Error{st.error()};
  st->bind(1, zone)
      .bind(2, static_cast<std::int64_t>(version.from))
      .bind(3, static_cast<std::int64_t>(version.to))
      .bind_blob(4, version.difference);
  if (auto done = st->run(); !done) return done;
  auto past = first_row_past(sql, zone, limits);
  if (!past) return Error{past.error()};
  return *past ? delete_through(sql, zone, **past) : Status(Ok{});
}

Result<std::vector<JournalVersion>> select_journal(StatementCache& sql, ZoneId zone) {
  auto st = sql.get(
      "SELECT serial_from, serial_to, difference FROM journal WHERE zone_id = ?1 ORDER BY id");
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  std::vector<JournalVersion> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    const auto blob = st->blob(2);
    out.push_back({static_cast<std::uint32_t>(st->int64(0)),
                   static_cast<std::uint32_t>(st->int64(1)),
                   {blob.begin(), blob.end()}});
  }
}

}  // namespace apex::storage
