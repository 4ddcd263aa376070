// Reading DNS values (names, types, TTLs, RDATA) from apexctl's command-line arguments.
#include "admin/arguments.hpp"

#include <algorithm>
#include <charconv>

#include "zones/rdata.hpp"
#include "zones/rdata_schema.hpp"
#include "zones/record.hpp"

namespace apex::admin {
namespace {

Result<std::uint64_t> unsigned_number(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return Error{"not a number"};
  return value;
}

// Names inside RDATA follow the same rules as owner names: ASCII only, and a name that
// already ends in the zone's apex is absolute even without the trailing dot ("mail" and
// "mail.example.com" both mean mail.example.com. in zone example.com.; the master-file rule
// alone would make the second mail.example.com.example.com., which nobody means). Tokens and
// fields correspond one to one up to the first field that takes the rest (no name field comes
// after one); the RFC 3597 generic form "\# ..." holds no name text.
Status complete_rdata_names(RRType type, std::vector<std::string>& tokens, const Name& origin) {
  if (!tokens.empty() && tokens[0] == "\\#") return Ok{};
  const auto fields = rdata_schema(type);
  for (std::size_t i = 0; i < fields.size() && i < tokens.size(); ++i) {
    if (takes_rest(fields[i].kind)) break;
    if (fields[i].kind != FieldKind::kName) continue;
    std::string& token = tokens[i];
    if (auto ascii = ascii_name_text(token); !ascii) {
      return Error{"invalid " + rrtype_to_text(type) + " RDATA: " + std::string(fields[i].name) +
                   " '" + token + "': " + ascii.error()};
    }
    if (token.ends_with('.') || token == "@") continue;
    auto absolute = Name::from_text(token);
    if (absolute && !origin.is_root() && absolute->is_subdomain_of(origin)) token += '.';
  }
  return Ok{};
}

}  // namespace

Status ascii_name_text(std::string_view text) {
  const bool ascii = std::all_of(text.begin(), text.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return Ok{};
  return Error{
      "non-ASCII characters: write internationalized names in their punycode form (xn--..., "
      "RFC 5891), e.g. as converted by 'idn2 " +
      std::string(text) + "'"};
}

Result<Name> name_argument(std::string_view text) {
  if (auto ascii = ascii_name_text(text); !ascii) {
    return Error{"invalid name '" + std::string(text) + "': " + ascii.error()};
  }
  return Name::from_text(text);
}

Result<std::optional<Name>> optional_name_argument(std::span<const std::string> positional) {
  if (positional.empty()) return std::optional<Name>{};
  auto name = name_argument(positional.front());
  if (!name) return Error{name.error()};
  return std::optional<Name>{std::move(name).value()};
}

Result<RRType> type_argument(std::string_view text) {
  auto type = rrtype_from_text(text);
  if (!type) return Error{"unknown record type '" + std::string(text) + "'"};
  if (is_meta_type(*type)) {
    return Error{"type " + rrtype_to_text(*type) + " is a query type, not zone data"};
  }
  if (*type == RRType::ALIAS) {
    return Error{
        "ALIAS records are not managed with 'record' commands: use 'apexctl alias set NAME "
        "TARGET' or 'apexctl alias delete NAME'"};
  }
  return *type;
}

Result<std::uint32_t> ttl_argument(std::string_view text) {
  auto value = unsigned_number(text);
  if (!value || *value > kMaxTtl) {
    return Error{"invalid TTL '" + std::string(text) + "': expected seconds from 0 to " +
                 std::to_string(kMaxTtl) + " (RFC 2181 §8)"};
  }
  return static_cast<std::uint32_t>(*value);
}

Result<std::size_t> limit_argument(std::string_view text) {
  constexpr std::uint64_t kMaxLimit = 1000000000;
  auto value = unsigned_number(text);
  if (!value || *value == 0 || *value > kMaxLimit) {
    return Error{"invalid limit '" + std::string(text) + "': expected a number from 1 to " +
                 std::to_string(kMaxLimit)};
  }
  return static_cast<std::size_t>(*value);
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
  if (auto names = complete_rdata_names(type, *tokens, origin); !names) {
    return Error{names.error()};
  }
  auto rdata = rdata_from_text(type, *tokens, origin);
  if (!rdata) return Error{"invalid " + rrtype_to_text(type) + " RDATA: " + rdata.error()};
  return rdata;
}

}  // namespace apex::admin
