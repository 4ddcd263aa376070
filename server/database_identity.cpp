// Telling one database from another: stat(2) of the path and the identity row.
#include "server/database_identity.hpp"

#include <sys/stat.h>

namespace apex::server {

std::optional<FileId> file_id(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino,
                static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                static_cast<std::int64_t>(st.st_size)};
}

Result<DatabaseIdentity> read_identity(storage::Database& db) {
  auto token = db.identity();
  if (!token) return Error{token.error()};
  auto last = db.last_change_id();
  if (!last) return Error{last.error()};
  return DatabaseIdentity{std::move(*token), *last};
}

std::string another_database(const DatabaseIdentity& before, const DatabaseIdentity& now) {
  if (now.token != before.token) return "it holds another database (restored, or copied over it)";
  // Change-log ids are never reused within one database (AUTOINCREMENT): a log that ends
  // earlier is an older copy of this database put back in its place.
  if (now.last_change < before.last_change)
    return "its change log went back from entry " + std::to_string(before.last_change) + " to " +
           std::to_string(now.last_change) + " (an older copy was put in its place)";
  return "";
}

}  // namespace apex::server
