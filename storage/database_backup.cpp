// Backups: one read transaction of the source copied into a temporary file, renamed into place.
#include "storage/database_backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <system_error>

#include "storage/page_copy.hpp"
#include "storage/statement.hpp"

namespace apex::storage {
namespace {

// So that the rename survives a power cut as the file's content does (synchronous=FULL).
void sync_directory(const std::filesystem::path& file) {
  std::filesystem::path directory = file.parent_path();
  if (directory.empty()) directory = ".";
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
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

}  // namespace apex::storage
