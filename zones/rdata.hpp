// RDATA text <-> wire conversion for the supported types, RFC 3597 generic form for all others.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"

namespace apex {

// Parses presentation-form RDATA. tokens are the RDATA fields exactly as they appear in a
// master file after the type (quotes and backslash escapes still in place, parentheses and
// comments already removed). Relative names are completed with origin. The generic form
// "\# LEN HEX…" (RFC 3597 §5) is accepted for every type. Errors name the field at fault.
Result<std::vector<std::uint8_t>> rdata_from_text(RRType type, std::span<const std::string> tokens,
                                                  const Name& origin);

// Presentation form of valid wire RDATA: the type's own syntax for known types, RFC 3597
// generic form otherwise (and for known-type RDATA that fails rdata_check_wire).
std::string rdata_to_text(RRType type, std::span<const std::uint8_t> rdata);

// Checks that wire RDATA is well formed for its type (lengths, embedded names, fields).
Status rdata_check_wire(RRType type, std::span<const std::uint8_t> rdata);

// Splits one line of RDATA text into tokens the way a master file does (whitespace
// separated; a quoted string is one token, quotes kept). For CLI arguments.
Result<std::vector<std::string>> rdata_tokenize(std::string_view text);

}  // namespace apex
