// apexctl's settings: built-in defaults, or the [zone_defaults], [serial], [import], [journal]
// and [control] sections of the TOML file apexd also reads, and of its [flatten] section the
// keys that decide what an alias serves (apexctl ignores the other sections and keys).
#pragma once

#include <cstdint>
#include <filesystem>

#include "admin/serial_policy.hpp"
#include "admin/zone_template.hpp"
#include "flatten/flatten_policy.hpp"
#include "storage/journal.hpp"
#include "zones/master_file.hpp"
#include "zones/result.hpp"

namespace apex::admin {

struct AdminConfig {
  ZoneTemplate zone_template;                      // [zone_defaults]
  std::uint32_t record_ttl = 3600;                 // [zone_defaults] record_ttl
  SerialPolicy serial = SerialPolicy::kIncrement;  // [serial] policy
  MasterFileLimits import_limits;                  // [import]: what "zone import" reads
  storage::JournalLimits journal;                  // [journal]: IXFR history per zone
  // [control] socket: where apexd's control socket is (apexd reads the same key); empty:
  // the database path + ".sock".
  std::filesystem::path control_socket;
  // [flatten] stale_ttl_s and health_fail_open, as apexd reads them: what `alias status`
  // and `zone export --flatten` say an alias serves (flatten/served_alias.hpp).
  flatten::FlattenPolicy flatten;
  // [dnssec] signature_validity_s and refresh_s, as apexd reads them (it checks them): what
  // `dnssec status` says about the signatures apexd makes.
  std::uint32_t signature_validity_s = 14 * 86400;
  std::uint32_t signature_refresh_s = 3 * 86400;
  // The Public Suffix List zone add/import check ($APEXCTL_PUBLIC_SUFFIX_LIST, else Debian's
  // publicsuffix package).
  std::filesystem::path public_suffix_list = "/usr/share/publicsuffix/public_suffix_list.dat";
};

// Reads path over the built-in defaults. Unknown keys in apexctl's sections are errors (a
// typo must not silently fall back to a default); errors read "FILE: [section] key: ...".
Result<AdminConfig> load_admin_config(const std::filesystem::path& path);

}  // namespace apex::admin
