// Reads back the detail text of a change-log entry (change_detail.hpp writes it): what one
// change did to one zone, record by record, so that it can be undone (apexctl revert) and
// compared with the changes that came after it.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "admin/change_detail.hpp"
#include "storage/alias_store.hpp"
#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex::admin {

struct LoggedZoneChange {
  ZoneFate fate = ZoneFate::kUpdated;
  std::optional<std::uint32_t> old_serial, new_serial;
  std::vector<Record> removed, added;  // a deleted zone's every record is "removed"
  std::vector<storage::AliasSettings> settings_removed, settings_added;
  std::optional<bool> provider;  // the flag the change set, if it changed it
};

// The change as logged for zone apex; an error names the line that is not one of the forms
// change_detail() writes (entries written before the log kept every record end in a count of
// records left out, and cannot be read back whole).
Result<LoggedZoneChange> read_change_detail(const Name& apex, std::string_view detail);

// Whether two changes of a zone touched something in common: the zone itself (created or
// deleted), an RRset (owner and type), an alias's settings, or the provider flag.
bool changes_overlap(const LoggedZoneChange& a, const LoggedZoneChange& b);

}  // namespace apex::admin
