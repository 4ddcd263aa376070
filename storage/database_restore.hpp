// apexctl restore's replacement of the whole database: a backup staged and checked beside
// the live database, then copied into it in one transaction.
#pragma once

#include <filesystem>
#include <memory>

#include "storage/database.hpp"
#include "storage/zone_loader.hpp"
#include "zones/result.hpp"

namespace apex::storage {

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
  // database_restore.cpp for why this and not a rename).
  Status replace_contents(Database& live);

 private:
  StagedRestore(std::filesystem::path path, std::unique_ptr<Database> db, LoadReport report);

  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
  LoadReport report_;
};

}  // namespace apex::storage
