// TSIG keys and secondaries in and out; names are stored lower-cased like the zones table.
#include "storage/transfer_queries.hpp"

#include <string>

#include "storage/stored_name.hpp"

namespace apex::storage {
namespace {

Status insert_zone_list(StatementCache& sql, std::int64_t secondary,
                        const std::vector<ZoneId>& zone_ids) {
  auto st =
      sql.get("INSERT OR IGNORE INTO secondary_zones (secondary_id, zone_id) VALUES (?1, ?2)");
  if (!st) return Error{st.error()};
  for (ZoneId zone : zone_ids) {
    st->bind(1, secondary).bind(2, zone);
    if (auto done = st->run(); !done) return done;
    st->reset();
  }
  return Ok{};
}

// One row of the secondaries-with-zones join; a secondary spans as many rows as its zones.
Status read_secondary_row(const Statement& st, std::vector<Secondary>& out, std::int64_t& current) {
  if (out.empty() || current != st.int64(0)) {
    current = st.int64(0);
    Secondary s;
    s.address = std::string(st.text(1));
    s.port = static_cast<std::uint16_t>(st.int64(2));
    if (!st.is_null(3)) {
      auto key = stored_name(st.text(3), "TSIG key name");
      if (!key) return Error{key.error()};
      s.key = std::move(*key);
    }
    s.all_zones = st.int64(4) != 0;
    out.push_back(std::move(s));
  }
  if (st.is_null(5)) return Ok{};
  auto zone = stored_name(st.text(5), "zone name");
  if (!zone) return Error{zone.error()};
  out.back().zones.push_back(std::move(*zone));
  return Ok{};
}

}  // namespace

Status insert_tsig_key(StatementCache& sql, const TsigKey& key) {
  auto st = sql.get("INSERT INTO tsig_keys (name, algorithm, secret) VALUES (?1, ?2, ?3)");
  if (!st) return Error{st.error()};
  st->bind(1, name_key(key.name)).bind(2, key.algorithm).bind_blob(3, key.secret);
  return st->run();
}

Result<std::size_t> delete_tsig_key_row(StatementCache& sql, const Name& name) {
  auto st = sql.get("DELETE FROM tsig_keys WHERE name = ?1");
  if (!st) return Error{st.error()};
  st->bind(1, name_key(name));
  if (auto done = st->run(); !done) return Error{done.error()};
  return st->changes();
}

Result<std::vector<TsigKey>> select_tsig_keys(StatementCache& sql) {
  auto st = sql.get("SELECT name, algorithm, secret FROM tsig_keys ORDER BY name");
  if (!st) return Error{st.error()};
  std::vector<TsigKey> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    auto name = stored_name(st->text(0), "TSIG key name");
    if (!name) return Error{name.error()};
    auto secret = st->blob(2);
    out.push_back({std::move(*name), std::string(st->text(1)), {secret.begin(), secret.end()}});
  }
}

Status insert_secondary(StatementCache& sql, const Secondary& s,
                        const std::vector<ZoneId>& zone_ids) {
  auto st = sql.get(
      "INSERT INTO secondaries (address, port, key_name, all_zones) VALUES (?1, ?2, ?3, ?4) "
      "RETURNING id");
  if (!st) return Error{st.error()};
  st->bind(1, s.address).bind(2, std::int64_t{s.port}).bind(4, std::int64_t{s.all_zones});
  if (s.key) st->bind(3, name_key(*s.key));
  auto row = st->step();
  if (!row) return Error{row.error()};
  if (!*row) return Error{"the new secondary's id was not returned"};
  const std::int64_t id = st->int64(0);
  // Finish the INSERT before the next statement: RETURNING completes the write on the last step.
  if (auto more = st->step(); !more) return Error{more.error()};
  return insert_zone_list(sql, id, zone_ids);
}

Result<std::size_t> delete_secondary_row(StatementCache& sql, const std::string& address,
                                         std::uint16_t port) {
  auto st = sql.get("DELETE FROM secondaries WHERE address = ?1 AND port = ?2");
  if (!st) return Error{st.error()};
  st->bind(1, address).bind(2, std::int64_t{port});
  if (auto done = st->run(); !done) return Error{done.error()};
  return st->changes();
}

Result<std::vector<Secondary>> select_secondaries(StatementCache& sql) {
  auto st = sql.get(
      "SELECT s.id, s.address, s.port, s.key_name, s.all_zones, z.name FROM secondaries AS s "
      "LEFT JOIN secondary_zones AS l ON l.secondary_id = s.id "
      "LEFT JOIN zones AS z ON z.id = l.zone_id ORDER BY s.address, s.port, s.id, z.name");
  if (!st) return Error{st.error()};
  std::vector<Secondary> out;
  std::int64_t current = 0;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    if (auto read = read_secondary_row(*st, out, current); !read) return Error{read.error()};
  }
}

}  // namespace apex::storage
