// An alias's own settings beyond its ALIAS record (ARCHITECTURE.md §5): fallback addresses and the
// address health check. Parsed from apexctl's arguments (and the change log's text) into the
// typed storage::AliasSettings, and shown back as text in messages, the change log and listings.
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

namespace apex::admin {

// A zone's alias settings keyed by lower-cased owner. An alias without fallback and health
// check has no entry (and no row).
using AliasSettingsMap = std::map<Name, storage::AliasSettings, CanonicalLess>;

// The --fallback values, each a comma-separated list of IPv4/IPv6 addresses, into settings'
// fallback lists (distinct, in octet order); no values: none.
Status set_fallback_argument(std::span<const std::string> values, storage::AliasSettings& settings);
// The --health value: "tcp:PORT", PORT 1…65535 (scheme in any case, leading zeros allowed).
Result<std::uint16_t> health_argument(std::string_view text);

// The entries of a comma-separated list ("" has none).
std::vector<std::string> split_list(std::string_view stored);

// The fallback addresses as text, IPv4 before IPv6, IPv6 in the RFC 5952 form.
std::vector<std::string> fallback_texts(const storage::AliasSettings& settings);
// Those joined by commas ("192.0.2.1,2001:db8::1"), "" for none.
std::string fallback_text(const storage::AliasSettings& settings);
// "tcp:443", "" for none.
std::string health_text(const storage::AliasSettings& settings);

bool has_settings(const storage::AliasSettings& settings);
bool same_settings(const storage::AliasSettings& a, const storage::AliasSettings& b);
// "fallback 192.0.2.1,2001:db8::1; health tcp:443", "health tcp:443", "" for none.
std::string settings_text(const storage::AliasSettings& settings);

}  // namespace apex::admin
