// RFC 1035 §5.1 <character-string> presentation form: quoting and "\X" / "\DDD" escapes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "zones/result.hpp"

namespace apex {

inline constexpr std::size_t kMaxCharacterString = 255;  // RFC 1035 §3.3, one length octet

// Decodes one master-file token, quoted ("a b") or not (a\032b), into its octets. Longer
// values than max_length are refused (CAA values and SVCB params have no 255 limit). Errors
// are a phrase to follow the token, e.g. "has no closing quote".
Result<std::string> parse_character_string(std::string_view token,
                                           std::size_t max_length = kMaxCharacterString);

// Always-quoted presentation form that every master-file parser reads back to the same
// octets: printable ASCII as is, '"' and '\' backslash-escaped, all other octets as \DDD.
std::string character_string_to_text(std::string_view octets);

}  // namespace apex
