// What tells apexd that its database path now holds another database: the file at the path
// (device and inode: a file moved onto the name; modification time and size: bytes written
// under SQLite, or a checkpoint) and the database's identity (its token, set anew by every
// backup copy and restore, and its change log, which never goes backwards in one database).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "storage/database.hpp"
#include "zones/result.hpp"

namespace apex::server {

struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  std::int64_t modified_ns = 0;
  std::int64_t size = 0;

  // The same file (another one moved onto the name is not), whatever was written to it.
  bool same_file(const FileId& other) const {
    return device == other.device && inode == other.inode;
  }
  bool operator==(const FileId&) const = default;
};

// stat(2) of path; none when there is no file there.
std::optional<FileId> file_id(const std::filesystem::path& path);

struct DatabaseIdentity {
  std::string token;
  std::int64_t last_change = 0;  // the newest change-log id
};

Result<DatabaseIdentity> read_identity(storage::Database& db);

// Why now is another database than before, "" when it is the same one (its change log may
// have grown).
std::string another_database(const DatabaseIdentity& before, const DatabaseIdentity& now);

}  // namespace apex::server
