// RFC 1035 §5 master files: reading into records, writing records back as text.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex {

struct MasterFile {
  Name origin;  // the zone apex
  std::vector<Record> records;
};

// Reads a master file. The origin is, in order: the one given, the file's first $ORIGIN
// before any record, or the file name without a trailing ".zone". $INCLUDE paths are
// relative to the including file. Errors read "FILE:LINE: message".
Result<MasterFile> read_master_file(const std::filesystem::path& path,
                                    std::optional<Name> origin = std::nullopt);
// The same for text in memory; source names it in errors; $INCLUDE is relative to the
// current directory.
Result<MasterFile> read_master_text(std::string_view text, const Name& origin,
                                    std::string_view source = "<text>");

// Master-file text that NSD, Knot and BIND load: $ORIGIN, SOA first, then the other
// records in canonical order, absolute names.
std::string write_master_file(const Name& origin, const std::vector<Record>& records);

}  // namespace apex
