// The SQL over the zones and records tables (schema in migrations.cpp); internal to storage/.
#include "storage/zone_queries.hpp"

#include <string>

#include <string_view>
#include <utility>
#include "storage/stored_name.hpp"

namespace apex::storage {
namespace {

// Turns record rows into Records. Consecutive rows usually share their owner (records are
// written RRset by RRset), so the last parsed owner is reused instead of parsed again.
class RecordReader {
 public:
  // Reads the columns owner, type, ttl, rdata, starting at column first.
  Result<Record> read(const Statement& row, int first) {
    std::string_view owner = row.text(first);
    if (!last_owner_ || owner != last_owner_text_) {
      auto name = stored_name(owner, "owner");
      if (!name) return Error{name.error()};
      last_owner_ = std::move(name).value();
      last_owner_text_.assign(owner);
    }
    auto rdata = row.blob(first + 3);
    return Record{*last_owner_, static_cast<RRType>(row.int64(first + 1)), RRClass::IN,
                  static_cast<std::uint32_t>(row.int64(first + 2)),
                  std::vector<std::uint8_t>(rdata.begin(), rdata.end())};
  }

 private:
  std::string last_owner_text_;
  std::optional<Name> last_owner_;
};

Result<std::size_t> run_counting(Statement& st) {
  auto done = st.run();
  if (!done) return Error{done.error()};
  return st.changes();
}

}  // namespace

Result<std::optional<ZoneId>> find_zone_id(StatementCache& sql, const Name& apex) {
  auto st = sql.get("SELECT id FROM zones WHERE name = ?1");
  if (!st) return Error{st.error()};
  st->bind(1, name_key(apex));
  auto row = st->step();
  if (!row) return Error{row.error()};
  if (!*row) return std::optional<ZoneId>();
  return std::optional<ZoneId>(st->int64(0));
}

Result<ZoneId> insert_zone(StatementCache& sql, const Name& apex) {
  // A new row, a new catalog member label (RFC 9432 §4.1): 64 random bits from SQLite's
  // CSPRNG-seeded generator, unique among the zones (index zones_by_catalog_label).
  auto st =
      sql.get("INSERT INTO zones (name, catalog_label) VALUES (?1, lower(hex(randomblob(8))))");
  if (!st) return Error{st.error()};
  st->bind(1, name_key(apex));
  auto done = st->run();
  if (!done) return Error{done.error()};
  return ZoneId{sqlite3_last_insert_rowid(sql.db())};
}

Result<std::size_t> delete_zone_row(StatementCache& sql, ZoneId zone) {
  // Its records go with it: records.zone_id is ON DELETE CASCADE (foreign_keys is on).
  auto st = sql.get("DELETE FROM zones WHERE id = ?1");
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  return run_counting(*st);
}

Result<std::optional<bool>> select_zone_provider(StatementCache& sql, const Name& apex) {
  auto st = sql.get("SELECT provider FROM zones WHERE name = ?1");
  if (!st) return Error{st.error()};
  st->bind(1, name_key(apex));
  auto row = st->step();
  if (!row) return Error{row.error()};
  if (!*row) return std::optional<bool>();
  return std::optional<bool>(st->int64(0) != 0);
}

Status update_zone_provider(StatementCache& sql, ZoneId zone, bool provider) {
  auto st = sql.get("UPDATE zones SET provider = ?2 WHERE id = ?1");
  if (!st) return Error{st.error()};
  st->bind(1, zone).bind(2, std::int64_t{provider ? 1 : 0});
  return st->run();
}

Result<std::vector<Name>> select_provider_zones(StatementCache& sql) {
  auto st = sql.get("SELECT name FROM zones WHERE provider <> 0 ORDER BY name");
  if (!st) return Error{st.error()};
  std::vector<Name> apexes;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return apexes;
    auto apex = stored_name(st->text(0), "zone name");
    if (!apex) return Error{apex.error()};
    apexes.push_back(std::move(apex).value());
  }
}

Result<std::vector<ZoneReference>> select_references_to(StatementCache& sql, const Name& apex) {
  auto st = sql.get(
      "SELECT z.name, r.owner, r.type, r.ttl, r.rdata FROM records r JOIN zones z "
      "ON z.id = r.zone_id WHERE r.type IN (2, 5, 65401) AND z.name <> ?1 ORDER BY z.name, r.id");
  if (!st) return Error{st.error()};
  st->bind(1, name_key(apex));
  std::vector<ZoneReference> found;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return found;
    auto owner = stored_name(st->text(1), "record owner");
    if (!owner) return Error{owner.error()};
    const auto type = static_cast<RRType>(st->int64(2));
    auto target = Name::from_wire(st->blob(4));  // NS, CNAME and ALIAS RDATA: one name
    const bool delegation = type == RRType::NS && *owner == apex;
    if (!delegation && (!target || !target->is_subdomain_of(apex))) continue;
    auto zone = stored_name(st->text(0), "zone name");
    if (!zone) return Error{zone.error()};
    const auto rdata = st->blob(4);
    found.push_back(
        {std::move(*zone),
         Record{std::move(*owner), type, RRClass::IN, static_cast<std::uint32_t>(st->int64(3)),
                std::vector<std::uint8_t>(rdata.begin(), rdata.end())}});
  }
}

Status insert_records(StatementCache& sql, ZoneId zone, const std::vector<Record>& records) {
  return insert_records(sql, zone, [&](const RecordSink& each) -> Status {
    for (const Record& r : records)
      if (auto ok = each(r); !ok) return ok;
    return Ok{};
  });
}

Status insert_records(StatementCache& sql, ZoneId zone, const RecordSource& records) {
  auto st =
      sql.get("INSERT INTO records (zone_id, owner, type, ttl, rdata) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!st) return Error{st.error()};
  std::string owner_text;
  std::string previous_owner;
  return records([&](Record r) -> Status {
    // Byte-equal wire form means identical text: skip formatting the same owner again.
    if (owner_text.empty() || r.owner.wire_view() != previous_owner) {
      owner_text = r.owner.to_text();
      previous_owner = r.owner.wire_view();
    }
    st->bind(1, zone)
        .bind(2, owner_text)
        .bind(3, static_cast<std::int64_t>(r.type))
        .bind(4, static_cast<std::int64_t>(r.ttl))
        .bind_blob(5, r.rdata);
    auto done = st->run();
    if (!done) return done;
    st->reset();
    return Ok{};
  });
}

Result<std::size_t> delete_zone_records(StatementCache& sql, ZoneId zone) {
  auto st = sql.get("DELETE FROM records WHERE zone_id = ?1");
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  return run_counting(*st);
}

Result<std::size_t> delete_owner_records(StatementCache& sql, ZoneId zone, const Name& owner,
                                         std::optional<RRType> type) {
  // NOCASE folds ASCII letters only, exactly the case-insensitivity of RFC 4343 §3.
  auto st = type ? sql.get(
                       "DELETE FROM records WHERE zone_id = ?1 AND owner = ?2 COLLATE NOCASE "
                       "AND type = ?3")
                 : sql.get("DELETE FROM records WHERE zone_id = ?1 AND owner = ?2 COLLATE NOCASE");
  if (!st) return Error{st.error()};
  st->bind(1, zone).bind(2, owner.to_text());
  if (type) st->bind(3, static_cast<std::int64_t>(*type));
  return run_counting(*st);
}

Result<std::size_t> delete_exact_record(StatementCache& sql, ZoneId zone, const Record& record) {
  auto st = sql.get(
      "DELETE FROM records WHERE zone_id = ?1 AND owner = ?2 COLLATE NOCASE AND type = ?3 "
      "AND rdata = ?4");
  if (!st) return Error{st.error()};
  st->bind(1, zone)
      .bind(2, record.owner.to_text())
      .bind(3, static_cast<std::int64_t>(record.type))
      .bind_blob(4, record.rdata);
  return run_counting(*st);
}

Result<std::vector<ZoneSummary>> select_zone_summaries(StatementCache& sql) {
  auto st = sql.get(
      "SELECT z.name, (SELECT count(*) FROM records AS r WHERE r.zone_id = z.id), z.provider "
      "FROM zones AS z ORDER BY z.name");
  if (!st) return Error{st.error()};
  std::vector<ZoneSummary> zones;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) break;
    auto apex = stored_name(st->text(0), "zone name");
    if (!apex) return Error{apex.error()};
    zones.push_back(
        {std::move(apex).value(), static_cast<std::size_t>(st->int64(1)), st->int64(2) != 0});
  }
  return zones;
}

Result<std::optional<std::vector<Record>>> select_zone_records(StatementCache& sql,
                                                               const Name& apex) {
  std::vector<Record> records;
  auto stored = select_zone_records(sql, apex, [&](Record r) {
    records.push_back(std::move(r));
    return Status(Ok{});
  });
  if (!stored) return Error{stored.error()};
  if (!*stored) return std::optional<std::vector<Record>>();
  return std::optional<std::vector<Record>>(std::move(records));
}

Result<bool> select_zone_records(StatementCache& sql, const Name& apex, const RecordSink& each) {
  // One statement (one snapshot) answers both "is the zone stored" and "its records": a
  // stored zone gives at least one row, with NULL record columns if it has no records.
  auto st = sql.get(
      "SELECT r.owner, r.type, r.ttl, r.rdata FROM zones AS z "
      "LEFT JOIN records AS r ON r.zone_id = z.id WHERE z.name = ?1 ORDER BY r.id");
  if (!st) return Error{st.error()};
  st->bind(1, name_key(apex));
  bool stored = false;
  RecordReader reader;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) break;
    stored = true;
    if (st->is_null(0)) continue;
    auto record = reader.read(*st, 0);
    if (!record) return Error{"zone " + apex.to_text() + ": " + record.error()};
    if (auto ok = each(std::move(record).value()); !ok) return Error{ok.error()};
  }
  return stored;
}

Status stream_zones(StatementCache& sql, const Database::ZoneVisitor& visit) {
  // A single SELECT reads one consistent snapshot; the nested loop walks zones by id and, for
  // each, the records_by_zone index in (zone_id, rowid) order, so ORDER BY needs no sort.
  auto st = sql.get(
      "SELECT z.id, z.name, r.owner, r.type, r.ttl, r.rdata FROM zones AS z "
      "LEFT JOIN records AS r ON r.zone_id = z.id ORDER BY z.id, r.id");
  if (!st) return Error{st.error()};
  std::optional<ZoneId> current;
  Name apex;
  std::vector<Record> records;
  RecordReader reader;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) break;
    if (current != st->int64(0)) {
      if (current) visit(apex, std::move(records));
      records.clear();
      current = st->int64(0);
      auto name = stored_name(st->text(1), "zone name");
      if (!name) return Error{name.error()};
      apex = std::move(name).value();
    }
    if (st->is_null(2)) continue;
    auto record = reader.read(*st, 2);
    if (!record) return Error{"zone " + apex.to_text() + ": " + record.error()};
    records.push_back(std::move(record).value());
  }
  if (current) visit(apex, std::move(records));
  return Ok{};
}

}  // namespace apex::storage
