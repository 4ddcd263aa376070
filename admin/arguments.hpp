// Reading DNS values (names, types, TTLs, RDATA) from apexctl's command-line arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"

namespace apex::admin {

// A domain name, always absolute: a missing trailing dot is accepted ("www.example.com").
// Internationalized names must be given in their ASCII (punycode, "xn--") form.
Result<Name> name_argument(std::string_view text);
// The optional [ZONE] or [NAME] of read commands: no name when positional is empty, else its
// first element read by name_argument (the caller has checked there is at most one).
Result<std::optional<Name>> optional_name_argument(std::span<const std::string> positional);
// Refuses name text with non-ASCII octets: an IDN must be written as its A-label (RFC 5890
// §2.3.2.1, "xn--..."); taken as raw UTF-8 octets it would be a different, unreachable name.
Status ascii_name_text(std::string_view text);
// A type that can be stored as zone data: not a meta or question type (RFC 6895 §3.1), and
// not ALIAS, which has its own semantics and commands.
Result<RRType> type_argument(std::string_view text);
// A TTL in 0 … 2^31-1 seconds (RFC 2181 §8).
Result<std::uint32_t> ttl_argument(std::string_view text);
// A count for --limit: 1 … 10^9.
Result<std::size_t> limit_argument(std::string_view text);
// RDATA as master-file text: the arguments are joined with spaces and split the way a zone
// file line is, so a string with spaces must be quoted for the zone file as well as for the
// shell: apexctl record add example.com. TXT '"v=spf1 -all"'. Names without a trailing dot
// are relative to origin ("mail"), unless they already end in it ("mail.example.com").
Result<std::vector<std::uint8_t>> rdata_arguments(RRType type, std::span<const std::string> args,
                                                  const Name& origin);

}  // namespace apex::admin
