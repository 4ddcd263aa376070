// Backup and restore of a whole database with SQLite's online backup API
// (https://sqlite.org/backup.html): page-for-page copies that are consistent while apexd and
// other apexctl processes read and write the database.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "storage/database.hpp"
#include "storage/zone_loader.hpp"
#include "zones/result.hpp"

namespace apex::storage {

struct BackupSummary {
  std::size_t zones = 0;
  std::size_t records = 0;
  std::uintmax_t bytes = 0;  // size of the file written
};

// Copies source into file: one read transaction on source (one consistent state; in WAL
// mode writers go on meanwhile), copied in steps into a temporary file beside file, which
// then gets a new identity token and the rollback journal mode (one self-contained file,
// no -wal or -shm needed to read it) and is renamed onto file. Nothing is ever written to
// source; a failure leaves no file behind. An existing file is refused unless overwrite.
Result<BackupSummary> back_up_database(Database& source, const std::filesystem::path& file,
                                       bool overwrite);

// A database file being restored: copied beside the live database (the file itself is only
// read), checked there, and removed when this goes out of scope.
class StagedRestore {
 public:
  // Copies file and checks the copy: PRAGMA integrity_check, an apexdns database whose
  // schema this build reads (an older one is migrated, in the copy only), no table of the
  // schema missing, every zone valid (the loader's build_zone). An error says why file
  // cannot be restored; nothing of the live database has been touched then.
  static Result<std::unique_ptr<StagedRestore>> stage(const std::filesystem::path& file,
                                                      const std::filesystem::path& live);
  ~StagedRestore();
  StagedRestore(const StagedRestore&) = delete;
  StagedRestore& operator=(const StagedRestore&) = delete;

  // The checked copy: give it its new identity and change-log entry here, before
  // replace_contents() copies it.
  Database& database() { return *db_; }
  const LoadReport& report() const { return report_; }

  // Replaces every page of live with the copy's, in one write transaction of live (see
  // database_copy.cpp for why this and not a rename).
  Status replace_contents(Database& live);

 private:
  StagedRestore(std::filesystem::path path, std::unique_ptr<Database> db, LoadReport report);

  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
  LoadReport report_;
};

}  // namespace apex::storage
