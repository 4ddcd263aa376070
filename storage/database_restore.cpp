// Restores: a staged, checked copy of the file copied into the live database in one step.
#include "storage/database_restore.hpp"

#include <string>
#include <system_error>

#include "storage/page_copy.hpp"
#include "storage/statement.hpp"

namespace apex::storage {
namespace {

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
