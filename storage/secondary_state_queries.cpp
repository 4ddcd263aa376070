// secondary_state rows in and out; zones are looked up by their lower-case name, secondaries
// by address (and port, except for transfers).
#include "storage/secondary_state_queries.hpp"

namespace apex::storage {
namespace {

// INSERT ... SELECT: the SELECT yields no row when the zone or the secondary is gone, so a
// late event for it is dropped rather than failing the batch it came in. The WHERE also
// keeps SQLite's parser from reading ON CONFLICT as a join constraint.
constexpr const char* kNotifySent =
    "INSERT INTO secondary_state (secondary_id, zone_id, notify_sent_ms, notify_serial) "
    "SELECT s.id, z.id, ?4, ?5 FROM secondaries AS s, zones AS z "
    "WHERE s.address = ?1 AND s.port = ?2 AND z.name = ?3 "
    "ON CONFLICT (secondary_id, zone_id) DO UPDATE SET "
    "notify_sent_ms = excluded.notify_sent_ms, notify_serial = excluded.notify_serial";

constexpr const char* kNotifyAcknowledged =
    "INSERT INTO secondary_state (secondary_id, zone_id, notify_acked_ms) "
    "SELECT s.id, z.id, ?4 FROM secondaries AS s, zones AS z "
    "WHERE s.address = ?1 AND s.port = ?2 AND z.name = ?3 "
    "ON CONFLICT (secondary_id, zone_id) DO UPDATE SET "
    "notify_acked_ms = excluded.notify_acked_ms";

// No port: a transfer comes from an ephemeral port (RFC 5936 §6 checks the address only).
constexpr const char* kTransferred =
    "INSERT INTO secondary_state (secondary_id, zone_id, transfer_ms, transfer_serial) "
    "SELECT s.id, z.id, ?4, ?5 FROM secondaries AS s, zones AS z "
    "WHERE s.address = ?1 AND z.name = ?3 "
    "ON CONFLICT (secondary_id, zone_id) DO UPDATE SET "
    "transfer_ms = excluded.transfer_ms, transfer_serial = excluded.transfer_serial";

const char* upsert_sql(SecondaryEvent::Kind kind) {
  switch (kind) {
    case SecondaryEvent::Kind::kNotifySent:
      return kNotifySent;
    case SecondaryEvent::Kind::kNotifyAcknowledged:
      return kNotifyAcknowledged;
    case SecondaryEvent::Kind::kTransferred:
      return kTransferred;
  }
  return kNotifySent;
}

std::optional<std::uint32_t> serial_column(const Statement& st, int column) {
  if (st.is_null(column)) return std::nullopt;
  return static_cast<std::uint32_t>(st.int64(column));
}

}  // namespace

Status upsert_secondary_state(StatementCache& sql, const SecondaryEvent& event) {
  auto st = sql.get(upsert_sql(event.kind));
  if (!st) return Error{st.error()};
  st->bind(1, event.address).bind(3, event.zone.lowercased().to_text()).bind(4, event.at_ms);
  if (event.kind != SecondaryEvent::Kind::kTransferred) st->bind(2, std::int64_t{event.port});
  if (event.kind != SecondaryEvent::Kind::kNotifyAcknowledged)
    st->bind(5, std::int64_t{event.serial});
  return st->run();
}

Result<std::vector<SecondaryState>> select_secondary_states(StatementCache& sql, const Name& apex) {
  auto st = sql.get(
      "SELECT s.address, s.port, t.notify_sent_ms, t.notify_serial, t.notify_acked_ms, "
      "t.transfer_ms, t.transfer_serial FROM secondary_state AS t "
      "JOIN secondaries AS s ON s.id = t.secondary_id JOIN zones AS z ON z.id = t.zone_id "
      "WHERE z.name = ?1 ORDER BY s.address, s.port");
  if (!st) return Error{st.error()};
  st->bind(1, apex.lowercased().to_text());
  std::vector<SecondaryState> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    out.push_back({std::string(st->text(0)), static_cast<std::uint16_t>(st->int64(1)), st->int64(2),
                   serial_column(*st, 3), st->int64(4), st->int64(5), serial_column(*st, 6)});
  }
}

}  // namespace apex::storage
