// The detail text of a change-log entry: what a command did to one zone, before and after,
// every record line of it (the audit trail; a deleted zone can be restored from its entry).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "admin/zone_diff.hpp"

namespace apex::admin {

enum class ZoneFate { kCreated, kUpdated, kDeleted, kUnchanged };

// Lines, newline-separated, no trailing newline:
//   created: "zone created, serial 1, 3 records", then "+RECORD" lines
//   deleted: "zone deleted, serial 7, 10 records", then "-RECORD" lines
//   updated: "serial 5 -> 6", then "-RECORD" and "+RECORD" lines
// changes should come without the SOA pair of a serial-only change (drop_serial_only_soa):
// the serial line says it. other_lines follow the record lines as they are (alias settings:
// "-alias settings OWNER (...)", "+alias settings OWNER (...)"; one per alias).
std::string change_detail(ZoneFate fate, std::optional<std::uint32_t> old_serial,
                          std::optional<std::uint32_t> new_serial, std::size_t record_count,
                          RecordChanges changes, const std::vector<std::string>& other_lines = {});
// The same with the removed and added records sent one at a time (a created or deleted
// zone: its RRsets, without a copy of every record). The text is sized before it is written,
// so that a large entry is allocated once.
std::string change_detail(ZoneFate fate, std::optional<std::uint32_t> old_serial,
                          std::optional<std::uint32_t> new_serial, std::size_t record_count,
                          const RecordSource& removed, const RecordSource& added,
                          const std::vector<std::string>& other_lines = {});

}  // namespace apex::admin
