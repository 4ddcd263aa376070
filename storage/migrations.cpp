// Numbered schema migrations, tracked by PRAGMA user_version (0 = no apexdns schema yet).
#include "storage/migrations.hpp"

#include <span>
#include <string>
#include <vector>

#include "storage/alias_settings_upgrade.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"

namespace apex::storage {
namespace {

struct Migration {
  int version;
  const char* sql;
  // Conversions SQL cannot express, run after sql; then finish (more SQL), if any.
  Status (*convert)(sqlite3* db) = nullptr;
  const char* finish = nullptr;
};

// Append only: a released migration is never edited, a change is a new numbered step.

constexpr Migration kMigrations[] = {
    {1, R"sql(
      -- A zone's name is its apex in lower-case absolute presentation form ("example.com."),
      -- so that UNIQUE and lookups are case-insensitive (RFC 4343) without a collation.
      CREATE TABLE zones (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
      );
      -- owner: absolute presentation form with its case kept (served as written);
      -- rdata: uncompressed wire form, the form the zone builder and the wire encoder need.
      CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        owner TEXT NOT NULL,
        type INTEGER NOT NULL CHECK (type BETWEEN 0 AND 65535),
        ttl INTEGER NOT NULL CHECK (ttl BETWEEN 0 AND 2147483647),
        rdata BLOB NOT NULL
      );
      -- Entries are (zone_id, rowid): loading all zones ordered by zone and insertion order
      -- walks this index without a sort.
      CREATE INDEX records_by_zone ON records(zone_id);
    )sql"},
    {2, R"sql(
      -- The change log: audit trail (apexctl log) and the feed the running server follows.
      -- AUTOINCREMENT: ids are never reused, and SQLite's single writer hands them out in
      -- commit order, so a follower that remembers the last id it applied misses nothing.
      -- zone is the lower-case apex text, not a reference: entries outlive deleted zones.
      -- at: milliseconds since the Unix epoch.
      CREATE TABLE change_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL
          DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
        zone TEXT NOT NULL,
        actor TEXT NOT NULL,
        operation TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX change_log_by_zone ON change_log(zone, id);
    )sql"},
    {3, R"sql(
      -- What an ALIAS needs beyond its record (owner, TTL, target live in records, so master
      -- files carry them): fallback addresses and the health check. owner: lower-case
      -- absolute name; fallback: comma-separated addresses; health: "" or "tcp:PORT".
      CREATE TABLE alias_settings (
        zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        owner TEXT NOT NULL,
        fallback TEXT NOT NULL DEFAULT '',
        health TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (zone_id, owner)
      );
      -- The flattener's results per target and address family (1 = A, 28 = AAAA): the
      -- last-known-good answer apexd serves at once after a restart, and what
      -- `apexctl alias status` shows. Times are milliseconds since the Unix epoch, 0 = never.
      CREATE TABLE alias_state (
        target TEXT NOT NULL,
        family INTEGER NOT NULL CHECK (family IN (1, 28)),
        state TEXT NOT NULL,
        addresses TEXT NOT NULL DEFAULT '',
        ttl INTEGER NOT NULL DEFAULT 0,
        chain TEXT NOT NULL DEFAULT '',
        last_success_ms INTEGER NOT NULL DEFAULT 0,
        last_attempt_ms INTEGER NOT NULL DEFAULT 0,
        failing_since_ms INTEGER NOT NULL DEFAULT 0,
        negative_since_ms INTEGER NOT NULL DEFAULT 0,
        next_refresh_ms INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (target, family)
      );
    )sql"},
    {4, R"sql(
      -- The flattener's failure bookkeeping, so that a restart during an outage carries on
      -- where it stopped (retry backoff, max-stale from the first failure) and
      -- `apexctl alias status` shows it: when the last error happened, how many attempts
      -- failed in a row, and the TTL served (before an ALIAS TTL caps it): the result's when
      -- fresh, the stale TTL while last-known-good (RFC 8767) or fallback addresses are
      -- served, 0 when no addresses are.
      ALTER TABLE alias_state ADD COLUMN last_error_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE alias_state ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE alias_state ADD COLUMN served_ttl INTEGER NOT NULL DEFAULT 0;
      -- Rows saved before: what is known. A failing family failed at its last attempt, at
      -- least once; the TTL served was the result's, as far as anyone can tell now (apexd
      -- rewrites the row with its next result).
      UPDATE alias_state SET last_error_ms = last_attempt_ms, consecutive_failures = 1
        WHERE failing_since_ms <> 0 AND last_error <> '';
      UPDATE alias_state SET served_ttl = ttl WHERE state IN ('fresh', 'stale');
    )sql"},
    {5, R"sql(
      -- Tenant safety: only zones the operator marks as provider-owned (1) resolve ALIAS
      -- targets from the server's own data; every other target goes to the resolvers, so a
      -- customer's zone named like a CDN's cannot capture other customers' aliases.
      ALTER TABLE zones ADD COLUMN provider INTEGER NOT NULL DEFAULT 0
        CHECK (provider IN (0, 1));
      -- How a family was last resolved: 'local' (some link of the chain was answered from a
      -- provider zone of this server) or 'upstream' (only by the recursive resolvers); ''
      -- before the first result. A local result must not outlive the zone it came from.
      -- Rows saved before could have come from any served zone: they count as local, so the
      -- first apexd that opens them re-resolves those whose zone is not a provider zone.
      ALTER TABLE alias_state ADD COLUMN source TEXT NOT NULL DEFAULT ''
        CHECK (source IN ('', 'local', 'upstream'));
      UPDATE alias_state SET source = 'local' WHERE last_success_ms <> 0;
    )sql"},
    {6, R"sql(
      -- TSIG keys (RFC 8945) shared with secondaries. name: lower-case absolute key name
      -- (RFC 8945 §4.2: compared as a domain name); algorithm: its name without the trailing
      -- dot ("hmac-sha256"); secret: the raw octets, never the base64 text.
      CREATE TABLE tsig_keys (
        name TEXT NOT NULL PRIMARY KEY,
        algorithm TEXT NOT NULL,
        secret BLOB NOT NULL CHECK (length(secret) > 0),
        created_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
      );
      -- The secondaries apexd is (hidden) primary of: who may transfer zones (RFC 5936 §6,
      -- RFC 1995) and who is sent NOTIFY (RFC 1996 §3.6). address: the canonical text of an
      -- IPv4 or IPv6 address (RFC 5952); key_name: the TSIG key transfers and NOTIFY are
      -- signed with, NULL for none. RESTRICT: a key in use cannot disappear under a secondary.
      -- all_zones = 1: every zone, present and future; 0: exactly those in secondary_zones
      -- (a zone that is deleted leaves the list, and does not widen it to all zones).
      CREATE TABLE secondaries (
        id INTEGER PRIMARY KEY,
        address TEXT NOT NULL,
        port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        key_name TEXT REFERENCES tsig_keys(name) ON DELETE RESTRICT,
        all_zones INTEGER NOT NULL DEFAULT 1 CHECK (all_zones IN (0, 1)),
        UNIQUE (address, port)
      );
      CREATE TABLE secondary_zones (
        secondary_id INTEGER NOT NULL REFERENCES secondaries(id) ON DELETE CASCADE,
        zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        PRIMARY KEY (secondary_id, zone_id)
      );
      CREATE INDEX secondary_zones_by_zone ON secondary_zones(zone_id);
      -- What apexd knows of each secondary per zone, for `apexctl zone status`: the last
      -- NOTIFY sent (and the serial it announced) and acknowledged (RFC 1996 §4.7), and the
      -- last serial the secondary transferred. Times are milliseconds since the Unix epoch,
      -- 0 = never; serials NULL = none yet.
      CREATE TABLE secondary_state (
        secondary_id INTEGER NOT NULL REFERENCES secondaries(id) ON DELETE CASCADE,
        zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        notify_sent_ms INTEGER NOT NULL DEFAULT 0,
        notify_serial INTEGER CHECK (notify_serial BETWEEN 0 AND 4294967295),
        notify_acked_ms INTEGER NOT NULL DEFAULT 0,
        transfer_ms INTEGER NOT NULL DEFAULT 0,
        transfer_serial INTEGER CHECK (transfer_serial BETWEEN 0 AND 4294967295),
        PRIMARY KEY (secondary_id, zone_id)
      );
      CREATE INDEX secondary_state_by_zone ON secondary_state(zone_id);
    )sql"},
    {7, R"sql(
      -- The IXFR journal (RFC 1995): one row per version step of a zone, written in the
      -- transaction of the change that made it. difference: the step as a DNS message whose
      -- answer section is old SOA, deletions, new SOA, additions (zones/zone_difference.hpp).
      -- Rows of a zone are consecutive (serial_to of one is serial_from of the next); a
      -- change that cannot be expressed as a step removes the zone's rows instead.
      CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        serial_from INTEGER NOT NULL CHECK (serial_from BETWEEN 0 AND 4294967295),
        serial_to INTEGER NOT NULL CHECK (serial_to BETWEEN 0 AND 4294967295),
        difference BLOB NOT NULL
      );
      CREATE INDEX journal_by_zone ON journal(zone_id, id);
    )sql"},
    {8, R"sql(
      -- The catalog zone apexd produces (RFC 9432). catalog_label: each zone's member label
      -- (§4.1), 16 random hex digits chosen when the zone row is created and kept for its
      -- lifetime (record edits and replacements keep the row); a zone deleted and created
      -- again is a new row with a new label, a new member to consumers (§5.4). Zones that
      -- exist already get theirs here. UNIQUE: two members never share an owner name.
      ALTER TABLE zones ADD COLUMN catalog_label TEXT;
      UPDATE zones SET catalog_label = lower(hex(randomblob(8)));
      CREATE UNIQUE INDEX zones_by_catalog_label ON zones(catalog_label);
      -- One row: the catalog's name (lower-case absolute, NULL = no catalog) and its SOA
      -- serial, raised (RFC 1982, never 0) in the transaction of every zone creation and
      -- deletion and of every change of the name, so it survives restarts and never goes
      -- back. It starts at the Unix time, so a database made anew starts above the serial
      -- consumers may hold from an earlier one.
      CREATE TABLE catalog (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT,
        serial INTEGER NOT NULL CHECK (serial BETWEEN 1 AND 4294967295)
      );
      INSERT INTO catalog (id, name, serial)
        VALUES (1, NULL, max(1, CAST(strftime('%s', 'now') AS INTEGER) % 4294967296));
    )sql"},
    {9, R"sql(
      -- Why a change was made, as its operator said it (apexctl --comment); NULL when not
      -- given. Kept beside the detail, which stays the command's own description.
      ALTER TABLE change_log ADD COLUMN comment TEXT;
    )sql"},
    {10, R"sql(
      -- Which database this is: a random token set when the database is created and given
      -- anew to every backup copy and every restore, so a server following the file can tell
      -- that the file now holds another database (restored, or copied or moved onto its
      -- name) and reload everything rather than follow a change log that is not its own.
      CREATE TABLE database_identity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token TEXT NOT NULL
      );
      INSERT INTO database_identity (id, token) VALUES (1, lower(hex(randomblob(16))));
    )sql"},
    {11,
     R"sql(
      -- Alias settings as typed values, read by one reader (alias_queries.cpp) instead of
      -- text parsed by each program: fallback_a holds IPv4 addresses of 4 octets back to
      -- back, fallback_aaaa IPv6 addresses of 16 (each distinct, in octet order);
      -- health_port the TCP port the target's addresses are probed on, NULL for none.
      ALTER TABLE alias_settings ADD COLUMN fallback_a BLOB NOT NULL DEFAULT x''
        CHECK (length(fallback_a) % 4 = 0);
      ALTER TABLE alias_settings ADD COLUMN fallback_aaaa BLOB NOT NULL DEFAULT x''
        CHECK (length(fallback_aaaa) % 16 = 0);
      ALTER TABLE alias_settings ADD COLUMN health_port INTEGER
        CHECK (health_port BETWEEN 1 AND 65535);
    )sql",
     convert_alias_settings_text,
     R"sql(
      ALTER TABLE alias_settings DROP COLUMN fallback;
      ALTER TABLE alias_settings DROP COLUMN health;
    )sql"},
    {12, R"sql(
      -- A zone's DNSSEC signing keys (RFC 4034 §2): private_key is PKCS#8 PrivateKeyInfo in
      -- DER (RFC 5958 §2), dnskey the DNSKEY RDATA it publishes under. apexd signs a zone
      -- that has an 'active' key; `apexctl dnssec disable` makes its keys 'retired', kept
      -- for the record. created_at: seconds since 1970.
      CREATE TABLE dnssec_keys (
        id INTEGER PRIMARY KEY,
        zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        key_tag INTEGER NOT NULL CHECK (key_tag BETWEEN 0 AND 65535),
        algorithm INTEGER NOT NULL CHECK (algorithm BETWEEN 0 AND 255),
        flags INTEGER NOT NULL CHECK (flags BETWEEN 0 AND 65535),
        private_key BLOB NOT NULL,
        dnskey BLOB NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'retired')),
        created_at INTEGER NOT NULL
      );
      CREATE INDEX dnssec_keys_by_zone ON dnssec_keys(zone_id, id);
      -- How a signed zone proves that names and types do not exist: NSEC (RFC 4034 §4) or
      -- NSEC3 (RFC 5155, with RFC 9276's parameters), with or without opt-out (§6).
      CREATE TABLE dnssec_settings (
        zone_id INTEGER PRIMARY KEY REFERENCES zones(id) ON DELETE CASCADE,
        denial TEXT NOT NULL CHECK (denial IN ('nsec', 'nsec3')),
        nsec3_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (nsec3_opt_out IN (0, 1))
      );
    )sql"},
    {13, R"sql(
      -- Key timing (RFC 7583 §3.3): a key's DNSKEY is published from publish_at until
      -- remove_at, it signs from active_at until retire_at; seconds since 1970, NULL = not
      -- scheduled. Keys active before timing existed were published and signing since
      -- their creation.
      ALTER TABLE dnssec_keys ADD COLUMN publish_at INTEGER;
      ALTER TABLE dnssec_keys ADD COLUMN active_at INTEGER;
      ALTER TABLE dnssec_keys ADD COLUMN retire_at INTEGER;
      ALTER TABLE dnssec_keys ADD COLUMN remove_at INTEGER;
      UPDATE dnssec_keys SET publish_at = created_at, active_at = created_at
        WHERE state = 'active';
      -- The delays a rollover's times are computed from (RFC 7583 §2: Dprp, the parent's
      -- DS TTL and Dreg, the time the parent takes to act on a new CDS), and the start of a
      -- `dnssec disable` (CDS/CDNSKEY delete records published, RFC 8078 §4), NULL if none.
      ALTER TABLE dnssec_settings ADD COLUMN propagation_delay_s INTEGER NOT NULL
        DEFAULT 3600 CHECK (propagation_delay_s >= 0);
      ALTER TABLE dnssec_settings ADD COLUMN parent_ds_ttl_s INTEGER NOT NULL
        DEFAULT 86400 CHECK (parent_ds_ttl_s >= 0);
      ALTER TABLE dnssec_settings ADD COLUMN registration_delay_s INTEGER NOT NULL
        DEFAULT 86400 CHECK (registration_delay_s >= 0);
      ALTER TABLE dnssec_settings ADD COLUMN delete_since INTEGER;
    )sql"},
    {14, R"sql(
      -- A signed zone's RRSIGs (RFC 4034 §3), kept so that a restart or a change signs only
      -- what changed or is due for renewal. One row per RRset and key: owner is the RRset's
      -- owner in lower-cased wire form, rrsig the RRSIG RDATA, digest the SHA-256 of the
      -- key's DNSKEY RDATA and the RRset in canonical form (RFC 4034 §6.2, §6.3), so that a
      -- signature is reused only for the RRset and key it was made for.
      CREATE TABLE dnssec_signatures (
        zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        owner BLOB NOT NULL,
        type_covered INTEGER NOT NULL CHECK (type_covered BETWEEN 0 AND 65535),
        key_tag INTEGER NOT NULL CHECK (key_tag BETWEEN 0 AND 65535),
        rrsig BLOB NOT NULL,
        digest BLOB NOT NULL CHECK (length(digest) = 32),
        PRIMARY KEY (zone_id, owner, type_covered, key_tag)
      ) WITHOUT ROWID;
    )sql"},
    {15, R"sql(
      -- The one content apexd served for a signed zone at a serial (the SHA-256 of its zone
      -- data, zones/snapshot_digest.hpp), so that after a restart a snapshot rebuilt with the
      -- same content is known as what secondaries can hold, and the next IXFR step starts
      -- from it. No row: no step may start from the zone's current serial.
      CREATE TABLE signed_versions (
        zone_id INTEGER PRIMARY KEY REFERENCES zones(id) ON DELETE CASCADE,
        serial INTEGER NOT NULL CHECK (serial BETWEEN 0 AND 4294967295),
        digest BLOB NOT NULL CHECK (length(digest) = 32)
      );
    )sql"},
};

Status run_steps(sqlite3* db, const Migration& m) {
  if (auto done = execute(db, m.sql); !done) return done;
  if (m.convert != nullptr)
    if (auto done = m.convert(db); !done) return done;
  if (m.finish != nullptr) return execute(db, m.finish);
  return Ok{};
}

Status apply(sqlite3* db, const Migration& m) {
  auto done = run_steps(db, m);
  if (!done)
    return Error{"migration to schema version " + std::to_string(m.version) + ": " + done.error()};
  const std::string bump = "PRAGMA user_version = " + std::to_string(m.version);
  return execute(db, bump.c_str());
}

}  // namespace

int current_schema_version() {
  return std::span(kMigrations).back().version;
}

std::vector<int> schema_versions() {
  std::vector<int> versions;
  for (const Migration& m : kMigrations) versions.push_back(m.version);
  return versions;
}

Result<int> schema_version(sqlite3* db) {
  auto prepared = PreparedStatement::prepare(db, "PRAGMA user_version", false);
  if (!prepared) return Error{prepared.error()};
  Statement query(prepared->get());
  auto row = query.step();
  if (!row) return Error{row.error()};
  return static_cast<int>(query.int64(0));
}

Result<bool> is_empty_database(sqlite3* db) {
  auto prepared = PreparedStatement::prepare(db, "SELECT count(*) FROM sqlite_master", false);
  if (!prepared) return Error{prepared.error()};
  Statement query(prepared->get());
  auto row = query.step();
  if (!row) return Error{row.error()};
  return query.int64(0) == 0;
}

Status migrate_to(sqlite3* db, int target_version) {
  auto tx = Transaction::begin(db);
  if (!tx) return Error{tx.error()};
  auto version = schema_version(db);
  if (!version) return Error{version.error()};
  if (*version > current_schema_version()) {
    return Error{"schema version " + std::to_string(*version) +
                 " is newer than this program supports (" +
                 std::to_string(current_schema_version()) + "); upgrade apexdns"};
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= *version || m.version > target_version) continue;
    auto applied = apply(db, m);
    if (!applied) return applied;
  }
  return tx->commit();
}

Status migrate(sqlite3* db) {
  return migrate_to(db, current_schema_version());
}

}  // namespace apex::storage
