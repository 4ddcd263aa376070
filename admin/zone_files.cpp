// Finding and reading the master files "zone import" takes.
#include "admin/zone_files.hpp"

#include <algorithm>
#include <system_error>

#include "zones/zone_builder.hpp"

namespace apex::admin {

namespace fs = std::filesystem;

Result<std::vector<fs::path>> zone_file_paths(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Error{path.string() + ": no such file or directory"};
  if (!fs::is_directory(path, ec)) return std::vector<fs::path>{path};
  std::vector<fs::path> files;
  // The error_code forms throughout: a directory that vanishes or can't be read is a message.
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".zone") files.push_back(it->path());
  }
  if (ec) return Error{path.string() + ": " + ec.message()};
  if (files.empty()) return Error{path.string() + ": no *.zone files in this directory"};
  std::sort(files.begin(), files.end());  // a stable order for messages and for the output
  return files;
}

Result<MasterFile> read_zone_file(const fs::path& path, const MasterFileOptions& options) {
  auto file = read_master_file(path, std::nullopt, options);
  if (!file) return Error{file.error()};
  // build_zone's messages (one TTL per RRset …) before the records are grouped into RRsets.
  auto zone = build_zone(file->origin, file->records);
  if (!zone) return Error{path.string() + ": " + zone.error()};
  file->origin = file->origin.lowercased();
  return file;
}

}  // namespace apex::admin
