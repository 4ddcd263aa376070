// Reading DNS values (names, types, TTLs, RDATA) from apexctl's command-line arguments.
#include "admin/arguments.hpp"

#include <charconv>

#include "zones/rdata.hpp"
#include "zones/record.hpp"

namespace apex::admin {

Result<Name> name_argument(std::string_view text) {
  return Name::from_text(text);
}

Result<RRType> type_argument(std::string_view text) {
  auto type = rrtype_from_text(text);
  if (!type) return Error{"unknown record type '" + std::string(text) + "'"};
  if (is_meta_type(*type)) {
    return Error{"type " + rrtype_to_text(*type) + " is a query type, not zone data"};
  }
  if (*type == RRType::ALIAS) {
    return Error{"ALIAS records are not managed with 'record' commands"};
  }
  return *type;
}

Result<std::uint32_t> ttl_argument(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > kMaxTtl) {
    return Error{"invalid TTL '" + std::string(text) + "': expected seconds from 0 to " +
                 std::to_string(kMaxTtl) + " (RFC 2181 §8)"};
  }
  return static_cast<std::uint32_t>(value);
}

Result<std::vector<std::uint8_t>> rdata_arguments(RRType type, std::span<const std::string> args,
                                                  const Name& origin) {
  std::string text;
  for (const std::string& arg : args) {
    if (!text.empty()) text += ' ';
    text += arg;
  }
  auto tokens = rdata_tokenize(text);
  if (!tokens) return Error{"invalid " + rrtype_to_text(type) + " RDATA: " + tokens.error()};
  auto rdata = rdata_from_text(type, *tokens, origin);
  if (!rdata) return Error{"invalid " + rrtype_to_text(type) + " RDATA: " + rdata.error()};
  return rdata;
}

}  // namespace apex::admin
