// The apexdns SQLite database: opening, migrations, and the read/write operations above it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "storage/alias_store.hpp"
#include "storage/catalog.hpp"
#include "storage/change_log.hpp"
#include "storage/dnssec_store.hpp"
#include "storage/journal.hpp"
#include "storage/secondary_state.hpp"
#include "storage/signature_store.hpp"
#include "storage/signed_version.hpp"
#include "storage/transfer_settings.hpp"
#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"

struct sqlite3;

namespace apex::storage {

class StatementCache;

enum class OpenMode {
  // Never writes, whatever the file holds: no WAL switch, no migration. The schema must be
  // the current one (an older one is refused with a pointer to `apexctl init`).
  kReadOnly,
  // The database must exist and carry the apexdns schema (migrated if older). When the
  // process may not write the file it is opened read-only, as kReadOnly (see read_only()).
  kExisting,
  kCreate,  // create the file if absent, then migrate to the current schema
};

struct ZoneSummary {
  Name apex;
  std::size_t record_count = 0;
  bool provider = false;  // provider-owned: ALIAS targets in it resolve locally
};

// A record of another zone that depends on a zone: a delegation to it (NS at its apex), or a
// CNAME, ALIAS or NS whose target is in it.
struct ZoneReference {
  Name zone;  // the zone holding the record
  Record record;
};

enum class ZoneWrite { kCreated, kReplaced };

// Errors read "database FILE: what went wrong: SQLite's message". Every write runs in a
// transaction: its own, or the caller's when called inside transaction().
class Database {
 public:
  // Opens (busy time-out; WAL mode when writable) and brings the schema to the current
  // version. Nothing is written before the file is known to be an apexdns database (or, for
  // kCreate, an empty file): someone else's file stays byte for byte as it was.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path, OpenMode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::filesystem::path& path() const { return path_; }
  Result<int> schema_version();
  // True when this connection cannot write: opened kReadOnly, or the process may not write
  // the file. Every write then fails with SQLite's "readonly database" error.
  bool read_only() const;
  // The tables and indexes of the current schema the database lacks ("table alias_state").
  Result<std::vector<std::string>> missing_schema();
  // Recreates them (empty), in one transaction; returns what was recreated.
  Result<std::vector<std::string>> repair_schema();

  // Runs body in one write transaction: committed when body succeeds, rolled back when it
  // fails (its error is returned as it is). Operations called inside join the transaction.
  Status transaction(const std::function<Status()>& body);
  // Runs body in one read transaction: its reads see one version of the database, and take
  // the file's shared lock once rather than once per statement.
  Status read_transaction(const std::function<Status()>& body);

  // Streams every zone with all its records, in one read transaction; used at startup.
  using ZoneVisitor = std::function<void(const Name& apex, std::vector<Record>&& records)>;
  Status for_each_zone(const ZoneVisitor& visit);

  // Every zone with its record count, ordered by name.
  Result<std::vector<ZoneSummary>> list_zones();
  // A zone's records in the order they were written; nullopt when the zone is not stored.
  Result<std::optional<std::vector<Record>>> zone_records(const Name& apex);
  // The same, each record to each as it is read (a large zone is never held as a vector);
  // false when the zone is not stored.
  Result<bool> zone_records(const Name& apex, const RecordSink& each);
  // Whether the zone is provider-owned (its names resolve ALIAS targets from the server's own
  // data); nullopt when the zone is not stored.
  Result<std::optional<bool>> zone_provider(const Name& apex);
  // Marks a stored zone provider-owned or not (an error if the zone is not stored).
  Status set_zone_provider(const Name& apex, bool provider);
  // The apexes of every provider-owned zone, ordered by name.
  Result<std::vector<Name>> provider_zones();
  // The records of other zones that depend on the zone at apex (see ZoneReference), by zone.
  // Reads every CNAME, ALIAS and NS record: for a zone delete, not for the query path.
  Result<std::vector<ZoneReference>> references_to(const Name& apex);
  // The closest enclosing stored zone: the longest stored apex equal to or above name.
  Result<std::optional<Name>> find_enclosing_zone(const Name& name);

  // Creates the zone, or replaces all records of an existing one (keeping its identity and
  // catalog member label). Records are stored as given: validate them with build_zone first.
  // A creation raises the catalog serial in the same transaction, as does a deletion.
  Result<ZoneWrite> replace_zone(const Name& apex, const std::vector<Record>& records);
  // The same with the records sent one at a time (inserted as they come).
  Result<ZoneWrite> replace_zone_from(const Name& apex, const RecordSource& records);
  // False when the zone was not stored.
  Result<bool> delete_zone(const Name& apex);
  // Appends records to a stored zone (an error if the zone is not stored).
  Status add_records(const Name& apex, const std::vector<Record>& records);
  // Deletes the records at owner (compared case-insensitively), of one type or of all types;
  // returns how many were deleted.
  Result<std::size_t> delete_records(const Name& apex, const Name& owner,
                                     std::optional<RRType> type = std::nullopt);
  // Deletes the records equal to record (owner case-insensitively, type, exact RDATA octets).
  Result<std::size_t> delete_record(const Name& apex, const Record& record);

  // Appends an entry to the change log; call it inside the change's transaction so the
  // entry commits with the change (the running server follows these entries).
  Status log_change(const ChangeEntry& entry);
  // The newest change log id, 0 when the log is empty.
  Result<std::int64_t> last_change_id();
  // Changes whenever another connection commits to the database (SQLite's PRAGMA
  // data_version): a check that reads no table, so a follower can poll it often.
  Result<std::int64_t> data_version();
  // Entries after id, oldest first, at most limit.
  Result<std::vector<LoggedChange>> changes_since(std::int64_t id, std::size_t limit = 100000);
  // Sets (or replaces) an alias's fallback and health settings in a stored zone.
  Status set_alias_settings(const Name& apex, const AliasSettings& settings);
  // False when the alias had no settings.
  Result<bool> delete_alias_settings(const Name& apex, const Name& owner);
  // Settings of the aliases in one zone (none if the zone is not stored), or in all zones.
  Result<std::vector<AliasSettings>> alias_settings(const std::optional<Name>& zone);

  // Persists flattener results, replacing earlier rows of the same target and family.
  Status save_alias_targets(const std::vector<AliasTargetRow>& rows);
  Result<std::vector<AliasTargetRow>> alias_targets();
  Status forget_alias_target(const Name& target);

  // The catalog's name and serial: one row, cheap enough to read on every change.
  Result<CatalogState> catalog_state();
  // The state and every stored zone as a member, in one read transaction.
  Result<Catalog> catalog();
  // Sets (or, with none, unsets) the catalog's name and raises its serial, so that the
  // catalog's consumers see the change. The caller refuses names of stored zones.
  Status set_catalog(const std::optional<Name>& name);

  // The TSIG keys and secondaries with their zone lists, read in one transaction: what apexd
  // reloads when the change log has a transfer-settings entry.
  Result<TransferSettings> load_transfer_settings();
  // Adds a key (an error if its name is taken: check first for a clear message).
  Status add_tsig_key(const TsigKey& key);
  // False when no key has that name; an error while a secondary uses it.
  Result<bool> delete_tsig_key(const Name& name);
  // Adds a secondary; its key and zones must be stored (an error otherwise).
  Status add_secondary(const Secondary& secondary);
  // False when no secondary has that address and port.
  Result<bool> delete_secondary(const std::string& address, std::uint16_t port);

  // Records what apexd saw of its secondaries, in one transaction, in order (a later event
  // about the same columns wins). Events for zones or secondaries no longer stored are
  // dropped; a transfer counts for every secondary at its source address.
  Status record_secondary_events(const std::vector<SecondaryEvent>& events);
  // The secondary_state rows of one zone (none when the zone is not stored), by address and
  // port. Only secondaries something was recorded for have one.
  Result<std::vector<SecondaryState>> secondary_states(const Name& apex);

  // DNSSEC (dnssec_store.hpp). Writes are errors when the zone is not stored.
  Status add_dnssec_key(const Name& apex, const DnssecKeyRow& key);
  // Makes the zone's active keys retired (it is signed no more); how many were active.
  Result<std::size_t> retire_dnssec_keys(const Name& apex);
  // Sets the times of the zone's key with that row id; false when it has none.
  Result<bool> set_dnssec_key_times(const Name& apex, std::int64_t key_id, const KeyTimes& times);
  Status set_dnssec_settings(const Name& apex, const DnssecSettings& settings);
  // The zone's keys and settings; nullopt when the zone is not stored.
  Result<std::optional<ZoneDnssec>> zone_dnssec(const Name& apex);
  // Every zone with an active key, with its active keys and settings, by name.
  Result<std::vector<ZoneDnssec>> signed_zones();
  // The zone's stored signatures (signature_store.hpp); none when the zone is not stored.
  Result<ZoneSignatures> zone_signatures(const Name& apex);
  // Replaces the zone's stored signatures, previous (as read), by current (a build's), in
  // one transaction, writing only the rows that differ. An error if the zone is not stored.
  Result<SignatureWrite> save_zone_signatures(const Name& apex, const ZoneSignatures& previous,
                                              const ZoneSignatures& current);

  // The zone's IXFR journal (an error if the zone is not stored): appends a version step,
  // keeping the zone's history within limits (see journal.hpp), or forgets the history when
  // a change cannot be told as a step. Call inside the change's transaction.
  Status append_journal(const Name& apex, const JournalVersion& version,
                        const JournalLimits& limits);
  Status clear_journal(const Name& apex);
  // The zone's versions, oldest first (none when the zone is not stored).
  Result<std::vector<JournalVersion>> journal(const Name& apex);
  // The serial and digest of the one content served at that serial of a signed zone (see
  // storage/journal_snapshots.hpp); none when unknown or the zone is not stored.
  Result<std::optional<SignedVersion>> signed_version(const Name& apex);
  // Sets it, or (none) forgets it; an error if the zone is not stored.
  Status set_signed_version(const Name& apex, const std::optional<SignedVersion>& version);

  // The entry with that id, if any.
  Result<std::optional<LoggedChange>> change(std::int64_t id);
  // The zone's entries after id, oldest first.
  Result<std::vector<LoggedChange>> zone_changes_after(const Name& zone, std::int64_t id);
  // The database's identity: a random token set at creation and renewed by every backup
  // copy and restore, so a reader can tell that the file now holds another database; ""
  // when the table or its row is missing.
  Result<std::string> identity();
  // A new token (call inside the transaction that makes this database another one).
  Status renew_identity();
  // Copies what the WAL holds into the database file (SQLITE_CHECKPOINT_PASSIVE: waits for
  // nobody, copies what no reader still needs). Nothing to do on a read-only connection.
  Status checkpoint();
  // Copies all of the WAL into the database file and empties the -wal file
  // (SQLITE_CHECKPOINT_TRUNCATE, waiting for readers up to the busy time-out). Before the
  // last connection to a file that was moved away closes: SQLite then skips its checkpoint
  // at close, and the next opener of the name would read the old file's pages from the
  // -wal as part of the new file.
  Status empty_wal();

  // Entries newest first, of one zone or of all, at most limit.
  Result<std::vector<LoggedChange>> change_history(const std::optional<Name>& zone,
                                                   std::size_t limit);

 private:
  // Backup and restore copy pages between connections (page_copy.hpp).
  friend struct DatabaseCopy;

  Database(sqlite3* db, std::filesystem::path path);
  Status prepare(OpenMode mode);
  Status check_schema(OpenMode mode, int version);
  Status enable_writes();
  template <class T>
  Result<T> in_context(Result<T> result) const;

  sqlite3* db_;
  std::filesystem::path path_;
  std::unique_ptr<StatementCache> statements_;
};

}  // namespace apex::storage
