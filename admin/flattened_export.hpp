// What "zone export --flatten" writes in place of a zone's ALIAS records: the A and AAAA
// records apexd serves for them (ARCHITECTURE.md §5), decided from the flattener's saved
// results as apexd decides (flatten/served_alias.hpp), so that servers that don't know
// ALIAS can load the file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "admin/alias_inventory.hpp"
#include "admin/alias_results.hpp"
#include "flatten/flatten_policy.hpp"
#include "zones/alias_table.hpp"

namespace apex::admin {

struct FlattenedAliases {
  // One owner result per alias, for write_master_file's WriteOptions::flatten_from.
  std::shared_ptr<const AliasTable> table;
  // Written, but worth knowing: stale addresses, fallback addresses, an alias with no
  // addresses at all.
  std::vector<std::string> notes;
  // Families apexd answers with SERVFAIL (pending or failed, without fallbacks), or whose
  // saved result cannot be read: the export is refused, since the file would lack
  // addresses apexd serves or will serve.
  std::vector<std::string> problems;
};

// Per alias and family, what served_answer gives (TTL: the smaller of the ALIAS TTL and the
// one served): addresses, fresh or stale; the fallback addresses of the family; NODATA
// (nothing written); SERVFAIL (a problem).
Result<FlattenedAliases> flatten_aliases(const std::vector<AliasEntry>& aliases,
                                         const AliasResults& results,
                                         const flatten::FlattenPolicy& policy);

}  // namespace apex::admin
