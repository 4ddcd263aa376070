// DNSSEC keys and settings in and out; a row that does not read back as the schema says is
// an error, never a key (a file changed behind apexdns's back).
#include "storage/dnssec_queries.hpp"

#include <string>

#include "storage/stored_name.hpp"

namespace apex::storage {
namespace {

constexpr const char* kInsertKey =
    "INSERT INTO dnssec_keys (zone_id, key_tag, algorithm, flags, private_key, dnskey, state, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kRetireKeys =
    "UPDATE dnssec_keys SET state = 'retired' WHERE zone_id = ?1 AND state = 'active'";
constexpr const char* kUpsertSettings =
    "INSERT INTO dnssec_settings (zone_id, denial, nsec3_opt_out) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (zone_id) DO UPDATE SET denial = excluded.denial, "
    "nsec3_opt_out = excluded.nsec3_opt_out";
// The key columns come first in both selects, so one reader serves them.
constexpr const char* kSelectKeys =
    "SELECT key_tag, algorithm, flags, private_key, dnskey, state, created_at "
    "FROM dnssec_keys WHERE zone_id = ?1 ORDER BY id";
constexpr const char* kSelectSettings =
    "SELECT denial, nsec3_opt_out FROM dnssec_settings WHERE zone_id = ?1";
constexpr const char* kSelectSigned =
    "SELECT k.key_tag, k.algorithm, k.flags, k.private_key, k.dnskey, k.state, k.created_at, "
    "z.name, s.denial, s.nsec3_opt_out FROM dnssec_keys AS k JOIN zones AS z ON z.id = k.zone_id "
    "LEFT JOIN dnssec_settings AS s ON s.zone_id = k.zone_id "
    "WHERE k.state = 'active' ORDER BY z.name, k.id";

const char* state_text(DnssecKeyState state) {
  return state == DnssecKeyState::kActive ? "active" : "retired";
}

Result<DnssecKeyRow> read_key(const Statement& st) {
  DnssecKeyRow key;
  key.key_tag = static_cast<std::uint16_t>(st.int64(0));
  key.algorithm = static_cast<std::uint8_t>(st.int64(1));
  key.flags = static_cast<std::uint16_t>(st.int64(2));
  auto priv = st.blob(3);
  key.private_key.assign(priv.begin(), priv.end());
  auto pub = st.blob(4);
  key.dnskey_rdata.assign(pub.begin(), pub.end());
  const std::string_view state = st.text(5);
  if (state == "active")
    key.state = DnssecKeyState::kActive;
  else if (state == "retired")
    key.state = DnssecKeyState::kRetired;
  else
    return Error{"DNSSEC key " + std::to_string(key.key_tag) + " has state '" + std::string(state) +
                 "'"};
  key.created_s = st.int64(6);
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
      .bind(8, key.created_s);
  return st->run();
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
      .bind(3, std::int64_t{nsec3 && settings.nsec3_opt_out ? 1 : 0});
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
    auto apex = stored_name(st->text(7), "zone");
    if (!apex) return Error{apex.error()};
    auto key = read_key(*st);
    if (!key) return Error{apex->to_text() + ": " + key.error()};
    if (out.empty() || !(out.back().apex == *apex)) {
      auto settings = read_settings(*st, 8);
      if (!settings) return Error{apex->to_text() + ": " + settings.error()};
      out.push_back(ZoneDnssec{*apex, *settings, {}});
    }
    out.back().keys.push_back(std::move(*key));
  }
}

}  // namespace apex::storage
