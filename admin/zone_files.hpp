// Finding and reading the master files "zone import" takes.
#pragma once

#include <filesystem>
#include <vector>

#include "zones/master_file.hpp"
#include "zones/result.hpp"

namespace apex::admin {

// PATH itself, or the *.zone files of the directory PATH in name order.
Result<std::vector<std::filesystem::path>> zone_file_paths(const std::filesystem::path& path);

// Reads a master file and validates it with build_zone; errors name the file (and line).
// options bound what it may include and how much it may hold.
Result<MasterFile> read_zone_file(const std::filesystem::path& path,
                                  const MasterFileOptions& options);

}  // namespace apex::admin
