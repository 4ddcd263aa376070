// Finding and reading the master files "zone import" takes.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

#include "admin/working_zone.hpp"
#include "zones/master_file.hpp"
#include "zones/result.hpp"
#include "zones/zone_rules.hpp"

namespace apex::admin {

// PATH itself, or the *.zone files of the directory PATH in name order.
Result<std::vector<std::filesystem::path>> zone_file_paths(const std::filesystem::path& path);

struct ZoneFile {
  Name origin;  // lower-cased
  WorkingZone zone;
  std::size_t records = 0;        // as read, duplicates included
  std::vector<Finding> warnings;  // check_zone's: the file breaks no rule
};

// Reads a master file into RRsets as it goes (the file is never held whole, nor its records
// as a list) and checks it with check_zone; errors name the file (and line).
// options bound what it may include and how much it may hold.
Result<ZoneFile> read_zone_file(const std::filesystem::path& path,
                                const MasterFileOptions& options);

}  // namespace apex::admin
