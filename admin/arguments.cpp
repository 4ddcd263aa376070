// Reading DNS values (names, types, TTLs, RDATA) from apexctl's command-line arguments.
#include "admin/arguments.hpp"

#include <algorithm>
#include <charconv>

#include "zones/character_string.hpp"
#include "zones/number_text.hpp"
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

// Names inside RDATA are absolute, like every name on the command line: "mail.hostco.example"
// is mail.hostco.example., never mail.hostco.example.<zone> as the master-file rule (RFC 1035
// §5.1) would make it. "@" still stands for the zone's apex. A single label without a dot
// ("mail") is refused: read absolutely it is a top-level name, which nobody means as a mail
// server or alias target; "mail." says so on purpose. Tokens and fields correspond one to one
// up to the first field that takes the rest (no name field comes after one); the RFC 3597
// generic form "\# ..." holds no name text.
Status absolute_rdata_names(RRType type, std::vector<std::string>& tokens, const Name& apex) {
  if (!tokens.empty() && tokens[0] == "\\#") return Ok{};
  const auto fields = rdata_schema(type);
  for (std::size_t i = 0; i < fields.size() && i < tokens.size(); ++i) {
    if (takes_rest(fields[i].kind)) break;
    if (fields[i].kind != FieldKind::kName) continue;
    std::string& token = tokens[i];
    const std::string what = "invalid " + rrtype_to_text(type) +
                             " RDATA: " + std::string(fields[i].name) + " '" + token + "': ";
    if (auto ascii = ascii_name_text(token); !ascii) return Error{what + ascii.error()};
    if (token.ends_with('.') || token == "@") continue;
    if (token.find('.') == std::string::npos) {
      return Error{what +
                   "names on the command line are absolute, so this would be the top-level "
                   "name '" +
                   token + ".'; write the whole name (" + token + "." + apex.to_text() + "), or '" +
                   token + ".' if that is meant"};
    }
    token += '.';
  }
  return Ok{};
}

// TXT RDATA (an SPF policy is a TXT record, RFC 7208 §3.1) given without any double quote: the
// arguments, joined by single spaces, are the text itself, octet for octet (no escapes), stored as
// one string, or as consecutive 255-octet strings when longer (RFC 1035 §3.3.14; RFC 7208 §3.3:
// receivers join them without spaces, so the split changes nothing a reader sees).
std::vector<std::uint8_t> plain_text_rdata(std::span<const std::string> args) {
  std::string text;
  for (const std::string& arg : args) {
    if (&arg != &args.front()) text += ' ';
    text += arg;
  }
  std::vector<std::uint8_t> rdata;
  std::size_t pos = 0;
  do {
    const std::size_t length = std::min(kMaxCharacterString, text.size() - pos);
    rdata.push_back(static_cast<std::uint8_t>(length));
    rdata.insert(rdata.end(), text.begin() + static_cast<std::ptrdiff_t>(pos),
                 text.begin() + static_cast<std::ptrdiff_t>(pos + length));
    pos += length;
  } while (pos < text.size());
  return rdata;
}

bool has_double_quote(std::span<const std::string> args) {
  return std::any_of(args.begin(), args.end(),
                     [](const std::string& arg) { return arg.find('"') != std::string::npos; });
}

}  // namespace

bool is_log_text(std::string_view text, std::size_t max_length) {
  const auto control = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  };
  return !text.empty() && text.size() <= max_length &&
         std::none_of(text.begin(), text.end(), control);
}

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
  auto value = parse_time_value(text);
  if (!value || *value > kMaxTtl) {
    return Error{"invalid TTL '" + std::string(text) + "': expected seconds from 0 to " +
                 std::to_string(kMaxTtl) +
                 " (RFC 2181 §8), or a time such as 30m, 1h30m, 1d or 1w"};
  }
  return *value;
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
                                                  const Name& apex) {
  if (type == RRType::TXT && !has_double_quote(args)) return plain_text_rdata(args);
  std::string text;
  for (const std::string& arg : args) {
    if (!text.empty()) text += ' ';
    text += arg;
  }
  auto tokens = rdata_tokenize(text);
  if (!tokens) return Error{"invalid " + rrtype_to_text(type) + " RDATA: " + tokens.error()};
  if (auto names = absolute_rdata_names(type, *tokens, apex); !names) return Error{names.error()};
  auto rdata = rdata_from_text(type, *tokens, apex);
  if (!rdata) return Error{"invalid " + rrtype_to_text(type) + " RDATA: " + rdata.error()};
  return rdata;
}

}  // namespace apex::admin
