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

class AliasTable;

struct WriteOptions {
  // Null: ALIAS records are written as "OWNER TTL IN ALIAS TARGET" lines, which apexdns reads
  // back (other servers don't know the type). Otherwise each ALIAS is replaced by the A and
  // AAAA records this table currently holds for it, with TTL min(ALIAS TTL, result TTL), so
  // servers that don't know ALIAS can load the file ("zone export --flatten"). A family
  // without addresses (pending, failed) is named in a comment at the top; NODATA is silent.
  const AliasTable* flatten_from = nullptr;
};

// Master-file text that NSD, Knot and BIND load: $ORIGIN, SOA first, then the other
// records in canonical order, absolute names.
std::string write_master_file(const Name& origin, const std::vector<Record>& records,
                              const WriteOptions& options = {});

}  // namespace apex
