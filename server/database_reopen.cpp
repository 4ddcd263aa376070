// Detection of a replaced database, reopening of every connection, reload of everything.
#include "server/database_reopen.hpp"

#include <set>
#include <utility>
#include <vector>

#include "server/log.hpp"
#include "server/transfer_access.hpp"
#include "storage/zone_loader.hpp"

namespace apex::server {
namespace {

// While the file cannot be loaded (a copy still being written, say), retried this often.
constexpr std::chrono::milliseconds kRetryEvery{100};

// Every apex of both indexes: the zones that may have changed between them.
std::vector<Name> apexes_of(const ZoneIndex& before, const ZoneIndex& after) {
  std::set<Name, CanonicalLess> apexes;
  before.for_each_zone([&](const Zone& zone) { apexes.insert(zone.apex()); });
  after.for_each_zone([&](const Zone& zone) { apexes.insert(zone.apex()); });
  return {apexes.begin(), apexes.end()};
}

}  // namespace

DatabaseReopen::DatabaseReopen(std::filesystem::path database, DatabaseHolders holders,
                               SnapshotStore& store, Notifier& notifier)
    : database_(std::move(database)), holders_(holders), store_(store), notifier_(notifier) {}

Status DatabaseReopen::start() {
  storage::Database* db = holders_.follower.database();
  if (db == nullptr) return Error{"no database connection"};
  file_ = file_id(database_);
  auto identity = read_identity(*db);
  if (!identity) return Error{identity.error()};
  identity_ = std::move(*identity);
  holders_.follower.on_read_error([this](const std::string& error) { read_error_ = error; });
  holders_.follower.before_poll([this] { return check(); });
  return Ok{};
}

bool DatabaseReopen::check() {
  if (broken_) {
    if (Clock::now() < next_retry_) return true;
    recover("");
    return true;
  }
  const std::string why = what_changed();
  if (why.empty()) return false;
  recover(why);
  return true;
}

std::string DatabaseReopen::what_changed() {
  if (!read_error_.empty()) return "reading it failed: " + std::exchange(read_error_, "");
  const auto file = file_id(database_);
  if (!file) return "the file is gone";
  if (!file_ || !file->same_file(*file_)) return "another file was moved onto its name";
  storage::Database* db = holders_.follower.database();
  if (db == nullptr) return "it is not open";
  auto version = db->data_version();
  if (!version) return "reading it failed: " + version.error();
  // The file written without a commit of ours to see: a checkpoint, or bytes copied over it
  // (then the connections' cached pages are stale, so a new connection reads the identity).
  const bool written = !(*file == *file_);
  if (!written && *version == data_version_) return "";
  data_version_ = *version;
  file_ = file;
  auto now = written ? fresh_identity() : read_identity(*db);
  if (!now) return "reading it failed: " + now.error();
  std::string why = another_database(identity_, *now);
  if (why.empty()) identity_ = std::move(*now);
  return why;
}

Result<DatabaseIdentity> DatabaseReopen::fresh_identity() {
  auto db = storage::Database::open(database_, storage::OpenMode::kExisting);
  if (!db) return Error{db.error()};
  return read_identity(**db);
}

void DatabaseReopen::recover(const std::string& why) {
  if (!broken_)
    log_warning("database " + database_.string() + ": " + why +
                "; reopening it and reloading everything (the current data serves until then)");
  broken_ = true;
  close_all();
  Status done = open_all();
  if (done) done = reload();
  if (!done) {
    if (!retry_logged_)
      log_warning("database " + database_.string() + " not reloaded, retrying every " +
                  std::to_string(kRetryEvery.count()) +
                  " ms while the current data serves: " + done.error());
    retry_logged_ = true;
    next_retry_ = Clock::now() + kRetryEvery;
    return;
  }
  broken_ = false;
  retry_logged_ = false;
}

void DatabaseReopen::close_all() {
  // What the -wal holds goes into the file it belongs to (still open here, even when
  // another one now has its name), so that no page of it is read as part of the new file.
  if (storage::Database* db = holders_.follower.database())
    if (auto emptied = db->empty_wal(); !emptied) log_debug("emptying the WAL: " + emptied.error());
  holders_.follower.replace_database(nullptr);
  holders_.serial_bumper.replace_database(nullptr);
  holders_.recorder.close_database();
  holders_.journal.close_database();
  holders_.aliases.replace_state_database(nullptr);
}

Status DatabaseReopen::open_all() {
  // The follower's first: it reads everything; the others only write (or read on demand).
  for (int i = 0; i < 3; ++i) {
    auto db = storage::Database::open(database_, storage::OpenMode::kExisting);
    if (!db) return Error{db.error()};
    if (i == 0) holders_.follower.replace_database(std::move(*db));
    if (i == 1) holders_.serial_bumper.replace_database(std::move(*db));
    if (i == 2) holders_.aliases.replace_state_database(std::move(*db));
  }
  return Ok{};
}

Status DatabaseReopen::reload() {
  storage::Database& db = *holders_.follower.database();
  // The identity and the log's end before the zones: a change committed during the load is
  // applied again by the next poll, rather than missed.
  auto identity = read_identity(db);
  if (!identity) return Error{identity.error()};
  auto version = db.data_version();
  if (!version) return Error{version.error()};
  storage::LoadReport report;
  auto index = storage::load_zone_index(db, report, holders_.follower.signing_policy(),
                                        store_.snapshot().aliases.get());
  if (!index) return Error{index.error()};
  auto settings = db.load_transfer_settings();
  if (!settings) return Error{settings.error()};
  auto access = TransferAccess::from(*settings);
  if (!access) return Error{"transfer settings: " + access.error()};
  for (const auto& why : report.rejected) log_error("zone not served: " + why);
  const ZoneIndexPtr before = store_.current();
  store_.publish(*index);
  store_.publish_access(std::move(*access));
  holders_.follower.restart(identity->last_change, report.catalog);
  holders_.follower.zones_signed(report.signed_zones);
  holders_.follower.count_signatures(report.signatures_made, report.signatures_reused);
  holders_.aliases.zones_changed(*index, apexes_of(*before, **index), db);
  notifier_.all_zones_changed(*index);
  identity_ = std::move(*identity);
  data_version_ = *version;
  file_ = file_id(database_);
  log_info("database " + database_.string() + " reloaded: " + std::to_string(report.zones) +
           " zones, " + std::to_string(report.records) + " records, change log at entry " +
           std::to_string(identity_.last_change));
  return Ok{};
}

}  // namespace apex::server
