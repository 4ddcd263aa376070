// apexctl backup's copy of the whole database: SQLite's online backup API, consistent while
// apexd and other apexctl processes read and write the database.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "storage/database.hpp"
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

}  // namespace apex::storage
