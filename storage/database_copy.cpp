// Whole-database copies through sqlite3_backup_*: backups to a file, restores into the live
// database.
#include "storage/database_copy.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <system_error>
#include <thread>

#include "storage/statement.hpp"

namespace apex::storage {

// Reaches the connections inside Database (a friend of it).
struct DatabaseCopy {
  static sqlite3* connection(Database& db) { return db.db_; }
};

namespace {

// Pages per backup step: the copy yields between steps (and takes locks anew), so a large
// database does not hold up other connections for the whole copy.
constexpr int kPagesPerStep = 256;
// Waits for a lock before a step gives up: other writers hold it for milliseconds.
constexpr int kLockRetries = 500;
constexpr std::chrono::milliseconds kLockRetryPause{10};

std::string message_of(sqlite3* db) {
  return db != nullptr ? sqlite3_errmsg(db) : "out of memory";
}

// Copies every page of from into to, pages at a time (-1: all in one step, one transaction
// of to). BUSY and LOCKED are waited out and retried; errors are read from to, where
// SQLite reports them.
Status copy_pages(sqlite3* from, sqlite3* to, int pages) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return Error{message_of(to)};
  int retries = 0;
  for (;;) {
    const int rc = sqlite3_backup_step(backup, pages);
    if (rc == SQLITE_DONE) break;
    if (rc == SQLITE_OK) continue;
    const int primary = rc & 0xff;
    if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) || ++retries > kLockRetries) break;
    std::this_thread::sleep_for(kLockRetryPause);
  }
  if (sqlite3_backup_finish(backup) != SQLITE_OK) return Error{message_of(to)};
  return Ok{};
}

sqlite3* open_raw(const std::filesystem::path& path, int flags, std::string& error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    error = message_of(db);
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_extended_result_codes(db, 1);
  return db;
}

// The file and what SQLite may have left beside it.
void remove_database_files(const std::filesystem::path& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"})
    std::filesystem::remove(path.string() + suffix, ignored);
}

// A temporary name beside path, unique to this process.
std::filesystem::path beside(const std::filesystem::path& path, const char* what) {
  return path.parent_path() /
         ("." + path.filename().string() + "." + what + "-" + std::to_string(::getpid()));
}

// So that the rename survives a power cut as the file's content does (synchronous=FULL).
void sync_directory(const std::filesystem::path& file) {
  std::filesystem::path directory = file.parent_path();
  if (directory.empty()) directory = ".";
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

Result<std::int64_t> single_integer(sqlite3* db, const char* sql) {
  auto prepared = PreparedStatement::prepare(db, sql, false);
  if (!prepared) return Error{prepared.error()};
  Statement st(prepared->get());
  auto row = st.step();
  if (!row) return Error{row.error()};
  if (!*row) return Error{std::string("no result from ") + sql};
  return st.int64(0);
}

// A backup copy is its own database: a file that replaces the live one later must be told
// apart from it (apexd reloads everything when the identity changes), and it is one file
// that any reader can open without -wal and -shm files beside it.
Status finish_backup_copy(sqlite3* copy, BackupSummary& summary) {
  if (auto renewed = execute(copy,
                             "UPDATE database_identity SET token = lower(hex(randomblob(16))) "
                             "WHERE id = 1");
      !renewed)
    return renewed;
  auto prepared = PreparedStatement::prepare(copy, "PRAGMA journal_mode = DELETE", false);
  if (!prepared) return Error{prepared.error()};
  {
    Statement st(prepared->get());
    auto row = st.step();
    if (!row) return Error{row.error()};
  }
  auto zones = single_integer(copy, "SELECT count(*) FROM zones");
  if (!zones) return Error{zones.error()};
  auto records = single_integer(copy, "SELECT count(*) FROM records");
  if (!records) return Error{records.error()};
  summary.zones = static_cast<std::size_t>(*zones);
  summary.records = static_cast<std::size_t>(*records);
  return Ok{};
}

// The copy, in one read transaction of source: every step reads the same state, so the
// backup never restarts because another process committed meanwhile (in WAL mode those
// writers are not held up by it).
Status copy_consistently(sqlite3* source, sqlite3* copy) {
  if (auto begun = execute(source, "BEGIN"); !begun) return begun;
  auto started = single_integer(source, "SELECT count(*) FROM sqlite_master");
  Status copied =
      started ? copy_pages(source, copy, kPagesPerStep) : Status(Error{started.error()});
  (void)execute(source, "COMMIT");  // a read transaction: ending it cannot lose anything
  return copied;
}

std::string integrity_problems(sqlite3* db) {
  auto prepared = PreparedStatement::prepare(db, "PRAGMA integrity_check(5)", false);
  if (!prepared) return prepared.error();
  Statement st(prepared->get());
  std::string problems;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) break;
    const std::string line(st.text(0));
    if (line == "ok") continue;
    problems += (problems.empty() ? "" : "; ") + line;
  }
  return problems;
}

// A URI naming path, for sqlite3_open_v2 with SQLITE_OPEN_URI (RFC 3986 §2.1 escapes for
// what would end the path).
std::string file_uri(const std::filesystem::path& path) {
  std::string uri = "file:";
  for (const char c : std::filesystem::absolute(path).string()) {
    if (c == '%')
      uri += "%25";
    else if (c == '?')
      uri += "%3f";
    else if (c == '#')
      uri += "%23";
    else
      uri += c;
  }
  return uri;
}

// Opens the file to restore so that nothing is created beside it either: a WAL database
// read-only still creates its -shm (and -wal), unless immutable=1 says nobody changes it,
// which holds for a file without a -wal (a backup, or a database closed by its last
// writer). A file with a -wal is opened as usual, so its WAL pages are read too.
sqlite3* open_to_restore(const std::filesystem::path& file, std::string& error) {
  std::error_code ec;
  if (std::filesystem::exists(file.string() + "-wal", ec))
    return open_raw(file, SQLITE_OPEN_READONLY, error);
  return open_raw(file_uri(file) + "?immutable=1", SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, error);
}

// Copies file (opened read-only) to staged and runs PRAGMA integrity_check on the copy.
Status stage_copy(const std::filesystem::path& file, const std::filesystem::path& staged) {
  std::string error;
  sqlite3* from = open_to_restore(file, error);
  if (from == nullptr) return Error{error};
  sqlite3* to = open_raw(staged, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
  if (to == nullptr) {
    sqlite3_close(from);
    return Error{"cannot create " + staged.string() + ": " + error};
  }
  Status copied = copy_pages(from, to, kPagesPerStep);
  sqlite3_close(from);
  if (copied) {
    const std::string problems = integrity_problems(to);
    if (!problems.empty()) copied = Error{"integrity check failed: " + problems};
  }
  sqlite3_close(to);
  return copied;
}

Status check_staged(Database& db, LoadReport& report) {
  auto missing = db.missing_schema();
  if (!missing) return Error{missing.error()};
  if (!missing->empty()) return Error{"it lacks " + missing->front() + " of the apexdns schema"};
  auto index = load_zone_index(db, report);
  if (!index) return Error{index.error()};
  if (!report.rejected.empty())
    return Error{std::to_string(report.rejected.size()) + " zone(s) fail validation, first " +
                 report.rejected.front()};
  return Ok{};
}

}  // namespace

Result<BackupSummary> back_up_database(Database& source, const std::filesystem::path& file,
                                       bool overwrite) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    if (std::filesystem::equivalent(file, source.path(), ec))
      return Error{file.string() + " is the database itself"};
    if (!overwrite) return Error{file.string() + " exists (--force replaces it)"};
  }
  const std::filesystem::path temporary = beside(file, "partial");
  remove_database_files(temporary);  // left by a process of the same id that was killed
  std::string error;
  sqlite3* copy = open_raw(temporary, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
  if (copy == nullptr) return Error{"cannot create " + temporary.string() + ": " + error};
  BackupSummary summary;
  Status written = copy_consistently(DatabaseCopy::connection(source), copy);
  if (written) written = finish_backup_copy(copy, summary);
  if (sqlite3_close(copy) != SQLITE_OK && written) written = Error{"closing the copy failed"};
  if (written) {
    std::filesystem::rename(temporary, file, ec);
    if (ec) written = Error{"renaming " + temporary.string() + ": " + ec.message()};
  }
  if (!written) {
    remove_database_files(temporary);
    return Error{"backup to " + file.string() + ": " + written.error()};
  }
  sync_directory(file);
  summary.bytes = std::filesystem::file_size(file, ec);
  return summary;
}

StagedRestore::StagedRestore(std::filesystem::path path, std::unique_ptr<Database> db,
                             LoadReport report)
    : path_(std::move(path)), db_(std::move(db)), report_(std::move(report)) {}

StagedRestore::~StagedRestore() {
  db_.reset();
  remove_database_files(path_);
}

Result<std::unique_ptr<StagedRestore>> StagedRestore::stage(const std::filesystem::path& file,
                                                            const std::filesystem::path& live) {
  const std::string where = file.string() + ": ";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return Error{where + "no such file"};
  if (std::filesystem::equivalent(file, live, ec)) return Error{where + "is the live database"};
  const std::filesystem::path staged = beside(live, "restore");
  remove_database_files(staged);
  if (auto copied = stage_copy(file, staged); !copied) {
    remove_database_files(staged);
    return Error{where + copied.error()};
  }
  auto db = Database::open(staged, OpenMode::kExisting);
  if (!db) {
    remove_database_files(staged);
    // The copy's name means nothing to the operator: say what the file is.
    const std::string error = db.error();
    const auto cut = error.find(": ");
    return Error{where + (cut == std::string::npos ? error : error.substr(cut + 2))};
  }
  LoadReport report;
  std::unique_ptr<StagedRestore> out(new StagedRestore(staged, std::move(*db), LoadReport{}));
  if (auto checked = check_staged(*out->db_, report); !checked)
    return Error{where + checked.error()};
  out->report_ = std::move(report);
  return out;
}

// Why the backup API into the live database, and not rename() of the file onto its name:
// the live database is in WAL mode, and its -wal and -shm files go with the name, not with
// the file. A rename would leave them paired with a file they do not belong to (SQLite then
// mixes pages of two databases), and processes that have the old file open would go on
// reading it. Copied through the backup API, every page of the live database is replaced in
// one write transaction of its own: it commits through the WAL like any change, so every
// reader sees either the old database or the new one, never a mix, and the -wal and -shm
// files stay consistent with the file. A reader notices the commit (PRAGMA data_version)
// and, through the new identity token, that the database is another one.
Status StagedRestore::replace_contents(Database& live) {
  return copy_pages(DatabaseCopy::connection(*db_), DatabaseCopy::connection(live), -1);
}

}  // namespace apex::storage
