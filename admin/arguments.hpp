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
// Text for the change log (an actor, a comment): 1 to max_length octets, none of them a
// control character, so one entry stays one line wherever it is shown.
bool is_log_text(std::string_view text, std::size_t max_length);
// A type that can be stored as zone data: not a meta or question type (RFC 6895 §3.1), and
// not ALIAS, which has its own semantics and commands.
Result<RRType> type_argument(std::string_view text);
// A TTL in 0 … 2^31-1 seconds (RFC 2181 §8): seconds ("3600") or BIND-style units as in zone
// files ("30m", "1h30m", "1d", "1w"; s m h d w, case-insensitive).
Result<std::uint32_t> ttl_argument(std::string_view text);
// A count for --limit: 1 … 10^9.
Result<std::size_t> limit_argument(std::string_view text);
// One record's RDATA from its arguments. TXT arguments (SPF policies too) without any double
// quote are the text itself, joined by single spaces, stored as one string (split only into
// 255-octet strings, RFC 7208 §3.3): TXT "v=spf1 include:_spf.example -all" (one shell
// argument) is one string. Otherwise the arguments are joined with spaces and read as
// master-file text ('"a" "b"' is two strings). Names in it are absolute with or without the
// trailing dot, as on the rest of the command line; "@" is apex; a single label without a
// dot is refused.
Result<std::vector<std::uint8_t>> rdata_arguments(RRType type, std::span<const std::string> args,
                                                  const Name& apex);

}  // namespace apex::admin
