// RFC 1035 §5 master files: reading into records, writing records back as text.
#pragma once

#include <cstddef>
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

// Bounds on what one master file (with everything it includes) may make the reader do, so
// that a file from a stranger cannot exhaust memory or time. A limit of 0 means none.
struct MasterFileLimits {
  std::size_t max_zone_octets = 512u << 20;  // read for one zone: the file and its includes
  std::size_t max_line_octets = 64u << 10;   // one line, without its line end
  std::size_t max_records = 1'000'000;       // records of one zone
  // One RRset is answered whole (RFC 2181 §5), and a message holds at most 65535 octets
  // (RFC 1035 §4.2.2) of 12-octet RRs at the least: more than 5461 can never be sent.
  std::size_t max_rrset_records = 5'000;
};

struct MasterFileOptions {
  // $INCLUDE (RFC 1035 §5.1) is refused unless this is set; then only files whose canonical
  // path (symbolic links and ".." resolved) is this directory or below it are read.
  std::optional<std::filesystem::path> include_root;
  // Appended to the refusal of an $INCLUDE while include_root is unset: how the user of the
  // caller enables it.
  std::string include_hint;
  MasterFileLimits limits;
};

// Reads a master file. The origin is, in order: the one given, the file's first $ORIGIN
// before any record, or the file name without a trailing ".zone". $INCLUDE paths are
// relative to the including file. Only regular files are read (never a device or a FIFO); a
// UTF-8 byte order mark at the start of a file is skipped. Errors read "FILE:LINE: message"
// and quote at most a short excerpt of the input.
Result<MasterFile> read_master_file(const std::filesystem::path& path,
                                    std::optional<Name> origin = std::nullopt,
                                    const MasterFileOptions& options = {});
// read_master_file without collecting the records: each goes to each as it is read (in file
// order; an error from it stops the reading and is returned as it is), so that
// the caller keeps them in its own form. The file is read a chunk at a time, never whole.
// Returns the origin.
Result<Name> read_master_records(const std::filesystem::path& path, std::optional<Name> origin,
                                 const MasterFileOptions& options, const RecordSink& each);

// The same for text in memory; source names it in errors; $INCLUDE is relative to the
// current directory.
Result<MasterFile> read_master_text(std::string_view text, const Name& origin,
                                    std::string_view source = "<text>",
                                    const MasterFileOptions& options = {});

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
