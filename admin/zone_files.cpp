// Finding and reading the master files "zone import" takes.
#include "admin/zone_files.hpp"

#include <algorithm>
#include <system_error>

#include "zones/packed_records.hpp"
#include "zones/zone_rules.hpp"

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

Result<ZoneFile> read_zone_file(const fs::path& path, const MasterFileOptions& options) {
  // Compact wire form while the file is read and checked: the zone is held once, small, not
  // as text plus a list of records plus RRsets.
  PackedRecords packed;
  auto origin = read_master_records(path, std::nullopt, options, [&](Record r) {
    packed.add(r);
    return Status(Ok{});
  });
  if (!origin) return Error{origin.error()};
  // build_zone's messages (one TTL per RRset, CNAME and other data …) in file order, as the
  // records came, before the records are grouped into RRsets.
  const RecordSource in_file_order = [&](const RecordSink& each) { return packed.for_each(each); };
  ZoneCheck check = check_zone(*origin, in_file_order);
  if (!check.ok()) return Error{path.string() + ": " + check.findings.front().message};
  check.zone.reset();  // the index is not kept: the zone travels on as RRsets
  WorkingZoneBuilder builder;
  if (auto grouped = in_file_order([&](Record r) { return builder.add(std::move(r)); }); !grouped)
    return Error{path.string() + ": " + grouped.error()};
  const Name apex = origin->lowercased();
  return ZoneFile{apex, builder.finish(apex), packed.size(), std::move(check.findings)};
}

}  // namespace apex::admin
