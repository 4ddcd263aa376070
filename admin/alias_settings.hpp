// An alias's own settings beyond its ALIAS record (ARCHITECTURE.md §5): fallback addresses and the
// address health check. Parsed from apexctl's arguments into the canonical text stored in
// alias_settings, and shown back in messages, the change log and listings.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/alias_store.hpp"
#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"

namespace apex::admin {

// A zone's alias settings keyed by lower-cased owner. An alias without fallback and health
// check has no entry (and no row).
using AliasSettingsMap = std::map<Name, storage::AliasSettings, CanonicalLess>;

// The --fallback values: each a comma-separated list of IPv4/IPv6 addresses. Returns the
// stored form: distinct addresses, IPv4 before IPv6, each family in octet order, IPv6 in the
// RFC 5952 form, joined by commas ("192.0.2.1,2001:db8::1"); "" for no values.
Result<std::string> fallback_argument(std::span<const std::string> values);
// The --health value: "tcp:PORT", PORT 1…65535. Returns the stored form ("tcp:443").
Result<std::string> health_argument(std::string_view text);

// The addresses of one family (A: 4 octets each, AAAA: 16) in a stored comma-separated
// list (fallback addresses, the flattener's saved addresses); an error names an entry that
// is no address.
Result<std::vector<std::vector<std::uint8_t>>> addresses_of_family(std::string_view stored,
                                                                   RRType family);
// The entries of a comma-separated stored list ("" has none).
std::vector<std::string> split_list(std::string_view stored);

bool has_settings(const storage::AliasSettings& settings);
bool same_settings(const storage::AliasSettings& a, const storage::AliasSettings& b);
// "fallback 192.0.2.1,2001:db8::1; health tcp:443", "health tcp:443", "" for none.
std::string settings_text(const storage::AliasSettings& settings);

}  // namespace apex::admin
