// What "zone export --flatten" writes in place of a zone's ALIAS records: the A and AAAA
// records the flattener last saved for their targets (ARCHITECTURE.md §5), so that servers that
// don't know ALIAS can load the file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "admin/alias_inventory.hpp"
#include "admin/alias_results.hpp"
#include "zones/alias_table.hpp"

namespace apex::admin {

struct FlattenedAliases {
  // One owner result per alias, for write_master_file's WriteOptions::flatten_from.
  std::shared_ptr<const AliasTable> table;
  // Written, but worth knowing: stale addresses, fallback addresses, an alias with no
  // addresses at all.
  std::vector<std::string> notes;
  // Families with nothing to write (pending; failed without a fallback of that family):
  // the export is refused, since the file would lack addresses apexd serves or will serve.
  std::vector<std::string> problems;
};

// Per alias and family: fresh or stale addresses as saved (TTL: the smaller of the ALIAS
// TTL and the result's); negative: nothing (NODATA, as apexd serves); failed: the alias's
// fallback addresses of that family if it has any, else a problem; pending (or no saved
// result): a problem.
Result<FlattenedAliases> flatten_aliases(const std::vector<AliasEntry>& aliases,
                                         const AliasResults& results);

}  // namespace apex::admin
