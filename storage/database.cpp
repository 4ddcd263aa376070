// The apexdns SQLite database: opening, migrations, and the read/write operations above it.
#include "storage/database.hpp"

#include <sqlite3.h>

#include <string>
#include <system_error>
#include <utility>

#include "storage/alias_queries.hpp"
#include "storage/catalog_queries.hpp"
#include "storage/change_log_queries.hpp"
#include "storage/dnssec_queries.hpp"
#include "storage/identity_queries.hpp"
#include "storage/journal_queries.hpp"
#include "storage/migrations.hpp"
#include "storage/schema_repair.hpp"
#include "storage/secondary_state_queries.hpp"
#include "storage/signature_queries.hpp"
#include "storage/signed_version_queries.hpp"
#include "storage/statement.hpp"
#include "storage/statement_cache.hpp"
#include "storage/transaction.hpp"
#include "storage/transfer_queries.hpp"
#include "storage/zone_queries.hpp"

namespace apex::storage {
namespace {

// The server and any number of apexctl processes share the file; a writer holds the lock
// for milliseconds, so waiting this long only fails when something is truly stuck.
constexpr int kBusyTimeoutMs = 5000;

// WAL: readers (the server loading zones) never block the writer and vice versa.
// synchronous=FULL: every COMMIT fsyncs the WAL before it returns. NORMAL would already
// survive kill -9 of the process (the WAL is in the OS page cache), but not a power cut or
// kernel crash, and "acknowledged changes survive" should hold for those too; one fsync per
// admin command is cheap at the rate operators change zones.
// foreign_keys: per connection and off by default; records rely on ON DELETE CASCADE.
constexpr const char* kPragmas =
    "PRAGMA synchronous = FULL;"
    "PRAGMA foreign_keys = ON;";

// With the -wal file kept (see enable_writes), it is emptied when the last connection
// closes, and cut back to this size after a checkpoint instead of keeping its largest size.
constexpr const char* kWalSizeLimit = "PRAGMA journal_size_limit = 4194304";

Status enable_wal(sqlite3* db) {
  auto prepared = PreparedStatement::prepare(db, "PRAGMA journal_mode = WAL", false);
  if (!prepared) return Error{prepared.error()};
  Statement st(prepared->get());
  auto row = st.step();
  if (!row) return Error{row.error()};
  // The pragma answers with the mode in force, which stays "memory" or "delete" on systems
  // that can't do WAL: concurrent readers would then block writers, so refuse.
  std::string mode(*row ? st.text(0) : "");
  if (mode != "wal") return Error{"could not enable WAL journal mode (got '" + mode + "')"};
  return Ok{};
}

// Runs op(zone id) in a transaction on a stored zone; an unknown zone is an error here
// because callers look the zone up first (it is a bug, not bad user input).
template <class T, class Op>
Result<T> write_to_zone(sqlite3* db, StatementCache& sql, const Name& apex, Op op) {
  auto tx = Transaction::begin(db);
  if (!tx) return Error{tx.error()};
  auto id = find_zone_id(sql, apex);
  if (!id) return Error{id.error()};
  if (!*id) return Error{"zone " + apex.to_text() + " is not in the database"};
  Result<T> result = op(**id);
  if (!result) return result;
  if (auto committed = tx->commit(); !committed) return Error{committed.error()};
  return result;
}

// What op(zone id) reads of the zone at apex; T{} (nothing) when the zone is not stored.
template <class T, class Op>
Result<T> read_from_zone(StatementCache& sql, const Name& apex, Op op) {
  auto id = find_zone_id(sql, apex);
  if (!id) return Error{id.error()};
  if (!*id) return T{};
  return op(**id);
}

}  // namespace

Database::Database(sqlite3* db, std::filesystem::path path)
    : db_(db), path_(std::move(path)), statements_(std::make_unique<StatementCache>(db)) {}

Database::~Database() {
  statements_.reset();  // statements must be finalized before the connection closes
  sqlite3_close(db_);
}

template <class T>
Result<T> Database::in_context(Result<T> result) const {
  if (result) return result;
  return Error{"database " + path_.string() + ": " + result.error()};
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path, OpenMode mode) {
  const std::string where = "database " + path.string() + ": ";
  std::error_code ec;
  if (mode != OpenMode::kCreate && !std::filesystem::exists(path, ec)) {
    return Error{where + "no such file"};
  }
  int flags = mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (mode == OpenMode::kCreate) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, flags, nullptr) != SQLITE_OK) {
    std::string message = raw != nullptr ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return Error{where + message};
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  if (auto prepared = db->prepare(mode); !prepared) return Error{where + prepared.error()};
  return db;
}

bool Database::read_only() const {
  return sqlite3_db_readonly(db_, "main") == 1;
}

// Reads first, writes only once the file is known to be ours: the WAL switch alone would
// rewrite the header of someone else's SQLite file, or turn an empty file into a database.
Status Database::prepare(OpenMode mode) {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  auto version = storage::schema_version(db_);
  if (!version) {
    const int code = sqlite3_errcode(db_) & 0xff;  // the primary code
    if (!read_only() || (code != SQLITE_READONLY && code != SQLITE_CANTOPEN))
      return Error{version.error()};
    // A database in WAL mode can only be read with its -wal and -shm files beside it; a
    // reader that may not create them fails here with SQLite's "readonly database".
    return Error{version.error() + " (a read-only database in WAL mode needs " +
                 path_.filename().string() + "-wal and " + path_.filename().string() +
                 "-shm beside it, and this process cannot create them: make the directory "
                 "writable for it, or run 'apexctl init' on the database once, which keeps "
                 "them)"};
  }
  if (auto schema = check_schema(mode, *version); !schema) return schema;
  if (!read_only()) {
    if (auto writes = enable_writes(); !writes) return writes;
  }
  if (auto pragmas = execute(db_, kPragmas); !pragmas) return pragmas;
  if (*version == current_schema_version()) return Ok{};
  return migrate(db_);
}

Status Database::enable_writes() {
  if (auto wal = enable_wal(db_); !wal) return wal;
  // Keep the -wal and -shm files when the last connection closes (emptied, not deleted), so
  // an apexd that may only read the database, in a directory it cannot write, can still
  // open it: SQLite reads a WAL database only with both files present.
  int persist = 1;
  sqlite3_file_control(db_, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  return execute(db_, kWalSizeLimit);
}

Status Database::check_schema(OpenMode mode, int version) {
  const int current = current_schema_version();
  if (version == 0) {
    auto empty = is_empty_database(db_);
    if (!empty) return Error{empty.error()};
    // Never adopt someone else's SQLite file: it has tables but no apexdns version.
    if (!*empty) return Error{"not an apexdns database (it has tables but no schema version)"};
    if (mode != OpenMode::kCreate) return Error{"not an apexdns database (empty)"};
  }
  if (version > current) {
    return Error{"schema version " + std::to_string(version) +
                 " is newer than this program supports (" + std::to_string(current) +
                 "); upgrade apexdns"};
  }
  if (version == current || !read_only()) return Ok{};
  // Upgrading writes; a reader says so rather than upgrading behind the operator's back.
  const std::string older = "schema version " + std::to_string(version) +
                            " is older than this program's (" + std::to_string(current) + "): ";
  if (mode == OpenMode::kReadOnly) return Error{older + "run 'apexctl init' to upgrade it"};
  return Error{older +
               "the database is read-only for this process; upgrade it with "
               "'apexctl init' as a user that may write it"};
}

Result<std::vector<std::string>> Database::missing_schema() {
  auto missing = missing_schema_objects(db_);
  if (!missing) return in_context(Result<std::vector<std::string>>(Error{missing.error()}));
  std::vector<std::string> out;
  for (const SchemaObject& o : *missing) out.push_back(o.describe());
  return out;
}

Result<std::vector<std::string>> Database::repair_schema() {
  auto created = storage::repair_schema(db_);
  if (!created) return in_context(Result<std::vector<std::string>>(Error{created.error()}));
  std::vector<std::string> out;
  for (const SchemaObject& o : *created) out.push_back(o.describe());
  return out;
}

Result<int> Database::schema_version() {
  return in_context(storage::schema_version(db_));
}

Status Database::transaction(const std::function<Status()>& body) {
  auto tx = Transaction::begin(db_);
  if (!tx) return in_context(Status(Error{tx.error()}));
  auto done = body();
  if (!done) return done;  // rolled back by tx's destructor
  return in_context(tx->commit());
}

Status Database::read_transaction(const std::function<Status()>& body) {
  auto tx = Transaction::begin_read(db_);
  if (!tx) return in_context(Status(Error{tx.error()}));
  auto done = body();
  if (!done) return done;
  return in_context(tx->commit());
}

Status Database::for_each_zone(const ZoneVisitor& visit) {
  return in_context(stream_zones(*statements_, visit));
}

Result<std::vector<ZoneSummary>> Database::list_zones() {
  return in_context(select_zone_summaries(*statements_));
}

Result<std::optional<std::vector<Record>>> Database::zone_records(const Name& apex) {
  return in_context(select_zone_records(*statements_, apex));
}

Result<bool> Database::zone_records(const Name& apex, const RecordSink& each) {
  return in_context(select_zone_records(*statements_, apex, each));
}

Result<std::optional<bool>> Database::zone_provider(const Name& apex) {
  return in_context(select_zone_provider(*statements_, apex));
}

Status Database::set_zone_provider(const Name& apex, bool provider) {
  return in_context(write_to_zone<Ok>(db_, *statements_, apex, [&](ZoneId zone) {
    return update_zone_provider(*statements_, zone, provider);
  }));
}

Result<std::vector<Name>> Database::provider_zones() {
  return in_context(select_provider_zones(*statements_));
}

Result<std::vector<ZoneReference>> Database::references_to(const Name& apex) {
  return in_context(select_references_to(*statements_, apex));
}

Result<std::optional<Name>> Database::find_enclosing_zone(const Name& name) {
  // At most 127 indexed lookups (one per label), longest candidate first.
  Name candidate = name;
  for (;;) {
    auto id = find_zone_id(*statements_, candidate);
    if (!id) return in_context(Result<std::optional<Name>>(Error{id.error()}));
    if (*id) return std::optional<Name>(candidate.lowercased());
    if (candidate.is_root()) return std::optional<Name>();
    candidate = candidate.parent();
  }
}

Result<ZoneWrite> Database::replace_zone(const Name& apex, const std::vector<Record>& records) {
  return replace_zone_from(apex, [&](const RecordSink& each) -> Status {
    for (const Record& r : records)
      if (auto ok = each(r); !ok) return ok;
    return Ok{};
  });
}

Result<ZoneWrite> Database::replace_zone_from(const Name& apex, const RecordSource& records) {
  auto write = [&]() -> Result<ZoneWrite> {
    auto tx = Transaction::begin(db_);
    if (!tx) return Error{tx.error()};
    auto id = find_zone_id(*statements_, apex);
    if (!id) return Error{id.error()};
    ZoneWrite outcome = ZoneWrite::kReplaced;
    if (*id) {
      // Keep the zone row: later tables (aliases, change log) refer to its id.
      if (auto cleared = delete_zone_records(*statements_, **id); !cleared) {
        return Error{cleared.error()};
      }
    } else {
      auto created = insert_zone(*statements_, apex);
      if (!created) return Error{created.error()};
      id = std::optional<ZoneId>(*created);
      outcome = ZoneWrite::kCreated;
      // A new member of the catalog (RFC 9432 §5.2): consumers must see a new serial.
      if (auto bumped = bump_catalog_serial(*statements_); !bumped) return Error{bumped.error()};
    }
    if (auto inserted = insert_records(*statements_, **id, records); !inserted) {
      return Error{inserted.error()};
    }
    if (auto committed = tx->commit(); !committed) return Error{committed.error()};
    return outcome;
  };
  return in_context(write());
}

Result<bool> Database::delete_zone(const Name& apex) {
  auto write = [&]() -> Result<bool> {
    auto tx = Transaction::begin(db_);
    if (!tx) return Error{tx.error()};
    auto id = find_zone_id(*statements_, apex);
    if (!id) return Error{id.error()};
    if (!*id) return false;
    if (auto deleted = delete_zone_row(*statements_, **id); !deleted) {
      return Error{deleted.error()};
    }
    // A member leaves the catalog (RFC 9432 §5.3).
    if (auto bumped = bump_catalog_serial(*statements_); !bumped) return Error{bumped.error()};
    if (auto committed = tx->commit(); !committed) return Error{committed.error()};
    return true;
  };
  return in_context(write());
}

Status Database::add_records(const Name& apex, const std::vector<Record>& records) {
  return in_context(write_to_zone<Ok>(db_, *statements_, apex, [&](ZoneId zone) {
    return insert_records(*statements_, zone, records);
  }));
}

Result<std::size_t> Database::delete_records(const Name& apex, const Name& owner,
                                             std::optional<RRType> type) {
  return in_context(write_to_zone<std::size_t>(db_, *statements_, apex, [&](ZoneId zone) {
    return delete_owner_records(*statements_, zone, owner, type);
  }));
}

Result<std::size_t> Database::delete_record(const Name& apex, const Record& record) {
  return in_context(write_to_zone<std::size_t>(db_, *statements_, apex, [&](ZoneId zone) {
    return delete_exact_record(*statements_, zone, record);
  }));
}

Status Database::log_change(const ChangeEntry& entry) {
  return in_context(insert_change(*statements_, entry));
}

Result<std::int64_t> Database::last_change_id() {
  return in_context(select_last_change_id(*statements_));
}

Result<std::int64_t> Database::data_version() {
  return in_context(select_data_version(*statements_));
}

Result<std::vector<LoggedChange>> Database::changes_since(std::int64_t id, std::size_t limit) {
  return in_context(select_changes_after(*statements_, id, limit));
}

Result<std::optional<LoggedChange>> Database::change(std::int64_t id) {
  auto found = select_change(*statements_, id);
  if (!found) return in_context(Result<std::optional<LoggedChange>>(Error{found.error()}));
  if (found->empty()) return std::optional<LoggedChange>();
  return std::optional<LoggedChange>(std::move(found->front()));
}

Result<std::vector<LoggedChange>> Database::zone_changes_after(const Name& zone, std::int64_t id) {
  return in_context(select_zone_changes_after(*statements_, zone, id));
}

Result<std::string> Database::identity() {
  return in_context(select_identity_token(*statements_));
}

Status Database::renew_identity() {
  return in_context(renew_identity_token(*statements_));
}

Status Database::checkpoint() {
  if (read_only()) return Ok{};
  const int rc =
      sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  // BUSY: another connection is checkpointing right now, which does the same work.
  if (rc == SQLITE_OK || rc == SQLITE_BUSY) return Ok{};
  return in_context(Status(Error{sqlite3_errmsg(db_)}));
}

Status Database::empty_wal() {
  if (read_only()) return Ok{};
  if (sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) !=
      SQLITE_OK)
    return in_context(Status(Error{sqlite3_errmsg(db_)}));
  return Ok{};
}

Result<std::vector<LoggedChange>> Database::change_history(const std::optional<Name>& zone,
                                                           std::size_t limit) {
  return in_context(select_history(*statements_, zone, limit));
}

Status Database::set_alias_settings(const Name& apex, const AliasSettings& settings) {
  return in_context(write_to_zone<Ok>(db_, *statements_, apex, [&](ZoneId zone) {
    return upsert_alias_settings(*statements_, zone, settings);
  }));
}

Result<bool> Database::delete_alias_settings(const Name& apex, const Name& owner) {
  return in_context(write_to_zone<bool>(db_, *statements_, apex, [&](ZoneId zone) -> Result<bool> {
    auto deleted = delete_alias_settings_row(*statements_, zone, owner);
    if (!deleted) return Error{deleted.error()};
    return *deleted > 0;
  }));
}

Result<std::vector<AliasSettings>> Database::alias_settings(const std::optional<Name>& zone) {
  if (!zone) return in_context(select_alias_settings(*statements_, std::nullopt));
  return in_context(read_from_zone<std::vector<AliasSettings>>(
      *statements_, *zone, [&](ZoneId id) { return select_alias_settings(*statements_, id); }));
}

Status Database::add_dnssec_key(const Name& apex, const DnssecKeyRow& key) {
  return in_context(write_to_zone<Ok>(db_, *statements_, apex, [&](ZoneId zone) {
    return insert_dnssec_key(*statements_, zone, key);
  }));
}

Result<std::size_t> Database::retire_dnssec_keys(const Name& apex) {
  return in_context(write_to_zone<std::size_t>(db_, *statements_, apex, [&](ZoneId zone) {
    return storage::retire_dnssec_keys(*statements_, zone);
  }));
}

Result<bool> Database::set_dnssec_key_times(const Name& apex, std::int64_t key_id,
                                            const KeyTimes& times) {
  return in_context(write_to_zone<bool>(db_, *statements_, apex, [&](ZoneId zone) {
    return update_dnssec_key_times(*statements_, zone, key_id, times);
  }));
}

Status Database::set_dnssec_settings(const Name& apex, const DnssecSettings& settings) {
  return in_context(write_to_zone<Ok>(db_, *statements_, apex, [&](ZoneId zone) {
    return upsert_dnssec_settings(*statements_, zone, settings);
  }));
}

Result<std::optional<ZoneDnssec>> Database::zone_dnssec(const Name& apex) {
  using Out = Result<std::optional<ZoneDnssec>>;
  return in_context(
      read_from_zone<std::optional<ZoneDnssec>>(*statements_, apex, [&](ZoneId id) -> Out {
        auto found = select_zone_dnssec(*statements_, id, apex);
        if (!found) return Error{found.error()};
        return std::optional<ZoneDnssec>{std::move(*found)};
      }));
}

Result<std::vector<ZoneDnssec>> Database::signed_zones() {
  return in_context(select_signed_zones(*statements_));
}

Result<ZoneSignatures> Database::zone_signatures(const Name& apex) {
  return in_context(
      read_from_zone<ZoneSignatures>(*statements_, apex, [&](ZoneId id) -> Result<ZoneSignatures> {
        auto found = select_zone_signatures(*statements_, id);
        if (!found) return Error{apex.to_text() + ": " + found.error()};
        return found;
      }));
}

Result<SignatureWrite> Database::save_zone_signatures(const Name& apex,
                                                      const ZoneSignatures& previous,
                                                      const ZoneSignatures& current) {
  return in_context(write_to_zone<SignatureWrite>(db_, *statements_, apex, [&](ZoneId zone) {
    return write_zone_signatures(*statements_, zone, previous, current);
  }));
}

Status Database::save_alias_targets(const std::vector<AliasTargetRow>& rows) {
  return transaction([&]() -> Status {
    for (const auto& row : rows)
      if (auto saved = upsert_alias_target(*statements_, row); !saved)
        return in_context(std::move(saved));
    return Ok{};
  });
}

Result<std::vector<AliasTargetRow>> Database::alias_targets() {
  return in_context(select_alias_targets(*statements_));
}

Status Database::forget_alias_target(const Name& target) {
  auto deleted = delete_alias_target_rows(*statements_, target);
  if (!deleted) return in_context(Status(Error{deleted.error()}));
  return Ok{};
}

Result<CatalogState> Database::catalog_state() {
  return in_context(select_catalog_state(*statements_));
}

Result<Catalog> Database::catalog() {
  auto read = [&]() -> Result<Catalog> {
    auto tx = Transaction::begin_read(db_);
    if (!tx) return Error{tx.error()};
    auto state = select_catalog_state(*statements_);
    if (!state) return Error{state.error()};
    auto members = select_catalog_members(*statements_);
    if (!members) return Error{members.error()};
    if (auto done = tx->commit(); !done) return Error{done.error()};
    return Catalog{std::move(*state), std::move(*members)};
  };
  return in_context(read());
}

Status Database::set_catalog(const std::optional<Name>& name) {
  return transaction([&]() -> Status {
    if (auto set = update_catalog_name(*statements_, name); !set) return in_context(std::move(set));
    return in_context(bump_catalog_serial(*statements_));
  });
}

Result<TransferSettings> Database::load_transfer_settings() {
  auto read = [&]() -> Result<TransferSettings> {
    auto tx = Transaction::begin_read(db_);
    if (!tx) return Error{tx.error()};
    auto keys = select_tsig_keys(*statements_);
    if (!keys) return Error{keys.error()};
    auto secondaries = select_secondaries(*statements_);
    if (!secondaries) return Error{secondaries.error()};
    if (auto done = tx->commit(); !done) return Error{done.error()};
    return TransferSettings{std::move(*keys), std::move(*secondaries)};
  };
  return in_context(read());
}

Status Database::add_tsig_key(const TsigKey& key) {
  return in_context(insert_tsig_key(*statements_, key));
}

Result<bool> Database::delete_tsig_key(const Name& name) {
  auto deleted = delete_tsig_key_row(*statements_, name);
  if (!deleted) return in_context(Result<bool>(Error{deleted.error()}));
  return *deleted > 0;
}

Status Database::add_secondary(const Secondary& secondary) {
  auto write = [&]() -> Status {
    auto tx = Transaction::begin(db_);
    if (!tx) return Error{tx.error()};
    std::vector<ZoneId> zone_ids;
    for (const Name& apex : secondary.zones) {
      auto id = find_zone_id(*statements_, apex);
      if (!id) return Error{id.error()};
      if (!*id) return Error{"zone " + apex.to_text() + " is not in the database"};
      zone_ids.push_back(**id);
    }
    if (auto inserted = insert_secondary(*statements_, secondary, zone_ids); !inserted)
      return inserted;
    return tx->commit();
  };
  return in_context(write());
}

Result<bool> Database::delete_secondary(const std::string& address, std::uint16_t port) {
  auto deleted = delete_secondary_row(*statements_, address, port);
  if (!deleted) return in_context(Result<bool>(Error{deleted.error()}));
  return *deleted > 0;
}

Status Database::record_secondary_events(const std::vector<SecondaryEvent>& events) {
  return transaction([&]() -> Status {
    for (const SecondaryEvent& event : events)
      if (auto saved = upsert_secondary_state(*statements_, event); !saved)
        return in_context(std::move(saved));
    return Ok{};
  });
}

Status Database::append_journal(const Name& apex, const JournalVersion& version,
                                const JournalLimits& limits) {
  return in_context(write_to_zone<Ok>(db_, *statements_, apex, [&](ZoneId zone) {
    return insert_journal_version(*statements_, zone, version, limits);
  }));
}

Status Database::clear_journal(const Name& apex) {
  return in_context(write_to_zone<Ok>(
      db_, *statements_, apex, [&](ZoneId zone) { return delete_journal(*statements_, zone); }));
}

Result<std::vector<JournalVersion>> Database::journal(const Name& apex) {
  return in_context(read_from_zone<std::vector<JournalVersion>>(
      *statements_, apex, [&](ZoneId id) { return select_journal(*statements_, id); }));
}

Result<std::optional<SignedVersion>> Database::signed_version(const Name& apex) {
  return in_context(read_from_zone<std::optional<SignedVersion>>(
      *statements_, apex, [&](ZoneId id) { return select_signed_version(*statements_, id); }));
}

Status Database::set_signed_version(const Name& apex, const std::optional<SignedVersion>& version) {
  return in_context(write_to_zone<Ok>(db_, *statements_, apex, [&](ZoneId zone) {
    return version ? upsert_signed_version(*statements_, zone, *version)
                   : delete_signed_version(*statements_, zone);
  }));
}

Result<std::vector<SecondaryState>> Database::secondary_states(const Name& apex) {
  return in_context(select_secondary_states(*statements_, apex));
}

}  // namespace apex::storage
