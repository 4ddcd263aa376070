// DNSSEC keys and settings in and out; a row that does not read back as the schema says is
// an error, never a key (a file changed behind apexdns's back).
#include "storage/dnssec_queries.hpp"

#include <string>

#include "storage/stored_name.hpp"

namespace apex::storage {
namespace {

constexpr const char* kInsertKey =
    "INSERT INTO dnssec_keys (zone_id, key_tag, algorithm, flags, private_key, dnskey, state, "
    "created_at, publish_at, active_at, retire_at, remove_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
constexpr const char* kRetireKeys =
    "UPDATE dnssec_keys SET state = 'retired' WHERE zone_id = ?1 AND state = 'active'";
constexpr const char* kUpdateTimes =
    "UPDATE dnssec_keys SET publish_at = ?3, active_at = ?4, retire_at = ?5, remove_at = ?6 "
    "WHERE zone_id = ?1 AND id = ?2";
constexpr const char* kUpsertSettings =
    "INSERT INTO dnssec_settings (zone_id, denial, nsec3_opt_out, propagation_delay_s, "
    "parent_ds_ttl_s, registration_delay_s, delete_since) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT (zone_id) DO UPDATE SET denial = excluded.denial, "
    "nsec3_opt_out = excluded.nsec3_opt_out, propagation_delay_s = excluded.propagation_delay_s, "
    "parent_ds_ttl_s = excluded.parent_ds_ttl_s, "
    "registration_delay_s = excluded.registration_delay_s, delete_since = excluded.delete_since";
// The key columns come first in both selects, so one reader serves them.
#define APEX_KEY_COLUMNS(k)                                                                       \
  k "id, " k "key_tag, " k "algorithm, " k "flags, " k "private_key, " k "dnskey, " k "state, " k \
    "created_at, " k "publish_at, " k "active_at, " k "retire_at, " k "remove_at"
#define APEX_SETTINGS_COLUMNS(s)                                                     \
  s "denial, " s "nsec3_opt_out, " s "propagation_delay_s, " s "parent_ds_ttl_s, " s \
    "registration_delay_s, " s "delete_since"
constexpr int kKeyColumns = 12;
constexpr const char* kSelectKeys =
    "SELECT " APEX_KEY_COLUMNS("") " FROM dnssec_keys WHERE zone_id = ?1 ORDER BY id";
constexpr const char* kSelectSettings =
    "SELECT " APEX_SETTINGS_COLUMNS("") " FROM dnssec_settings WHERE zone_id = ?1";
constexpr const char* kSelectSigned =
    "SELECT " APEX_KEY_COLUMNS("k.") ", z.name, " APEX_SETTINGS_COLUMNS("s.")
    " FROM dnssec_keys AS k JOIN zones AS z ON z.id = k.zone_id "
    "LEFT JOIN dnssec_settings AS s ON s.zone_id = k.zone_id "
    "WHERE k.state = 'active' ORDER BY z.name, k.id";
#undef APEX_KEY_COLUMNS
#undef APEX_SETTINGS_COLUMNS

std::optional<std::int64_t> optional_int(const Statement& st, int column) {
  if (st.is_null(column)) return std::nullopt;
  return st.int64(column);
}

const char* state_text(DnssecKeyState state) {
  return state == DnssecKeyState::kActive ? "active" : "retired";
}

Result<DnssecKeyRow> read_key(const Statement& st) {
  DnssecKeyRow key;
  key.id = st.int64(0);
  key.key_tag = static_cast<std::uint16_t>(st.int64(1));
  key.algorithm = static_cast<std::uint8_t>(st.int64(2));
  key.flags = static_cast<std::uint16_t>(st.int64(3));
  auto priv = st.blob(4);
  key.private_key.assign(priv.begin(), priv.end());
  auto pub = st.blob(5);
  key.dnskey_rdata.assign(pub.begin(), pub.end());
  const std::string_view state = st.text(6);
  if (state == "active")
    key.state = DnssecKeyState::kActive;
  else if (state == "retired")
    key.state = DnssecKeyState::kRetired;
  else
    return Error{"DNSSEC key " + std::to_string(key.key_tag) + " has state '" + std::string(state) +
                 "'"};
  key.created_s = st.int64(7);
  key.times = KeyTimes{optional_int(st, 8), optional_int(st, 9), optional_int(st, 10),
                       optional_int(st, 11)};
  return key;
}

// The settings columns at first (NULL when the zone has no settings row: the defaults).
Result<DnssecSettings> read_settings(const Statement& st, int first) {
  DnssecSettings settings;
  if (st.is_null(first)) return settings;
  const std::string_view denial = st.text(first);
  if (denial == "nsec3")
    settings.denial = DenialOfExistence::kNsec3;
  else if (denial != "nsec")
    return Error{"DNSSEC denial '" + std::string(denial) + "' is neither nsec nor nsec3"};
  settings.nsec3_opt_out = st.int64(first + 1) != 0;
  settings.propagation_delay_s = static_cast<std::uint32_t>(st.int64(first + 2));
  settings.parent_ds_ttl_s = static_cast<std::uint32_t>(st.int64(first + 3));
  settings.registration_delay_s = static_cast<std::uint32_t>(st.int64(first + 4));
  settings.delete_since_s = optional_int(st, first + 5);
  return settings;
}

}  // namespace

Status insert_dnssec_key(StatementCache& sql, ZoneId zone, const DnssecKeyRow& key) {
  auto st = sql.get(kInsertKey);
  if (!st) return Error{st.error()};
  st->bind(1, zone)
      .bind(2, std::int64_t{key.key_tag})
      .bind(3, std::int64_t{key.algorithm})
      .bind(4, std::int64_t{key.flags})
      .bind_blob(5, key.private_key)
      .bind_blob(6, key.dnskey_rdata)
      .bind(7, state_text(key.state))
      .bind(8, key.created_s)
      .bind(9, key.times.publish_s)
      .bind(10, key.times.active_s)
      .bind(11, key.times.retire_s)
      .bind(12, key.times.remove_s);
  return st->run();
}

Result<bool> update_dnssec_key_times(StatementCache& sql, ZoneId zone, std::int64_t key_id,
                                     const KeyTimes& times) {
  auto st = sql.get(kUpdateTimes);
  if (!st) return Error{st.error()};
  st->bind(1, zone)
      .bind(2, key_id)
      .bind(3, times.publish_s)
      .bind(4, times.active_s)
      .bind(5, times.retire_s)
      .bind(6, times.remove_s);
  if (auto ran = st->run(); !ran) return Error{ran.error()};
  return st->changes() == 1;
}

Result<std::size_t> retire_dnssec_keys(StatementCache& sql, ZoneId zone) {
  auto st = sql.get(kRetireKeys);
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  if (auto ran = st->run(); !ran) return Error{ran.error()};
  return st->changes();
}

Status upsert_dnssec_settings(StatementCache& sql, ZoneId zone, const DnssecSettings& settings) {
  auto st = sql.get(kUpsertSettings);
  if (!st) return Error{st.error()};
  const bool nsec3 = settings.denial == DenialOfExistence::kNsec3;
  st->bind(1, zone)
      .bind(2, nsec3 ? "nsec3" : "nsec")
      .bind(3, std::int64_t{nsec3 && settings.nsec3_opt_out ? 1 : 0})
      .bind(4, std::int64_t{settings.propagation_delay_s})
      .bind(5, std::int64_t{settings.parent_ds_ttl_s})
      .bind(6, std::int64_t{settings.registration_delay_s})
      .bind(7, settings.delete_since_s);
  return st->run();
}

Result<ZoneDnssec> select_zone_dnssec(StatementCache& sql, ZoneId zone, const Name& apex) {
  ZoneDnssec out{apex, {}, {}};
  {
    auto st = sql.get(kSelectSettings);
    if (!st) return Error{st.error()};
    st->bind(1, zone);
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (*row) {
      auto settings = read_settings(*st, 0);
      if (!settings) return Error{apex.to_text() + ": " + settings.error()};
      out.settings = *settings;
    }
  }
  auto st = sql.get(kSelectKeys);
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    auto key = read_key(*st);
    if (!key) return Error{apex.to_text() + ": " + key.error()};
    out.keys.push_back(std::move(*key));
  }
}

Result<std::vector<ZoneDnssec>> select_signed_zones(StatementCache& sql) {
  auto st = sql.get(kSelectSigned);
  if (!st) return Error{st.error()};
  std::vector<ZoneDnssec> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    auto apex = stored_name(st->text(kKeyColumns), "zone");
    if (!apex) return Error{apex.error()};
    auto key = read_key(*st);
    if (!key) return Error{apex->to_text() + ": " + key.error()};
    if (out.empty() || !(out.back().apex == *apex)) {
      auto settings = read_settings(*st, kKeyColumns + 1);
      if (!settings) return Error{apex->to_text() + ": " + settings.error()};
      out.push_back(ZoneDnssec{*apex, *settings, {}});
    }
    out.back().keys.push_back(std::move(*key));
  }
}

}  // namespace apex::storage
