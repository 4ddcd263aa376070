// RDATA text <-> wire conversion (RFC 1035 §5.1, §3.3) for the types in rdata_schema, with
// the RFC 3597 §5 generic form for every type.
#include "zones/rdata.hpp"

#include "zones/generic_rdata.hpp"
#include "zones/master_file_lexer.hpp"
#include "zones/rdata_schema.hpp"
#include "zones/text_excerpt.hpp"

namespace apex {
namespace {

using Octets = std::vector<std::uint8_t>;

constexpr std::size_t kMaxRdataLength = 65535;  // RDLENGTH is 16 bits (RFC 1035 §3.2.1)

std::string count_octets(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " octet" : " octets");
}

// "MX exchange" or, for SVCB params whose errors start with the key, "HTTPS param".
std::string field_label(RRType type, const FieldSpec& field) {
  return rrtype_to_text(type) + " " + std::string(field.name);
}

std::string field_error(RRType type, const FieldSpec& field, const std::string& problem) {
  const char* separator = field.kind == FieldKind::kSvcParams ? " " : ": ";
  return field_label(type, field) + separator + problem;
}

Result<Octets> schema_from_text(RRType type, std::span<const FieldSpec> schema,
                                std::span<const std::string> tokens, const Name& origin) {
  Octets out;
  std::size_t next = 0;
  for (const auto& field : schema) {
    if (next == tokens.size()) {
      // SvcParams and NSEC/NSEC3 type bitmaps may be absent (RFC 9460 §2.1, RFC 5155 §3.2).
      if (field.kind == FieldKind::kSvcParams || field.kind == FieldKind::kTypeBitmap) break;
      return Error{field_error(type, field, "missing")};
    }
    std::size_t count = takes_rest(field.kind) ? tokens.size() - next : 1;
    auto ok = field_from_text(field.kind, tokens.subspan(next, count), origin, out);
    if (!ok) return Error{field_error(type, field, ok.error())};
    next += count;
  }
  if (next < tokens.size())
    return Error{rrtype_to_text(type) + ": unexpected " + quoted_excerpt(tokens[next]) +
                 " after the last field"};
  if (out.size() > kMaxRdataLength)
    return Error{rrtype_to_text(type) + ": RDATA longer than 65535 octets"};
  if (auto ok = check_rdata_constraints(type, out); !ok)
    return Error{rrtype_to_text(type) + " " + ok.error()};
  return out;
}

Status schema_check_wire(RRType type, std::span<const FieldSpec> schema,
                         std::span<const std::uint8_t> rdata) {
  std::size_t pos = 0;
  for (const auto& field : schema) {
    auto length = field_wire_length(field.kind, rdata.subspan(pos));
    if (!length) return Error{field_error(type, field, length.error())};
    pos += *length;
  }
  if (pos != rdata.size())
    return Error{rrtype_to_text(type) + ": " + count_octets(rdata.size() - pos) +
                 " after the last field"};
  if (auto ok = check_rdata_constraints(type, rdata); !ok)
    return Error{rrtype_to_text(type) + " " + ok.error()};
  return Ok{};
}

Result<Octets> generic_from_text(RRType type, std::span<const std::string> tokens) {
  auto octets = generic_rdata_from_text(tokens);
  if (!octets) return Error{rrtype_to_text(type) + " generic RDATA " + octets.error()};
  // A known type in generic form must still be valid RDATA of that type (RFC 3597 §5).
  if (auto ok = rdata_check_wire(type, *octets); !ok) return Error{"generic RDATA: " + ok.error()};
  return octets;
}

}  // namespace

Result<Octets> rdata_from_text(RRType type, std::span<const std::string> tokens,
                               const Name& origin) {
  if (is_generic_rdata(tokens)) return generic_from_text(type, tokens);
  auto schema = rdata_schema(type);
  if (schema.empty())
    return Error{rrtype_to_text(type) +
                 ": write this type's RDATA in the RFC 3597 generic form (\\# LENGTH HEX)"};
  return schema_from_text(type, schema, tokens, origin);
}

std::string rdata_to_text(RRType type, std::span<const std::uint8_t> rdata) {
  auto schema = rdata_schema(type);
  if (schema.empty() || !schema_check_wire(type, schema, rdata))
    return generic_rdata_to_text(rdata);
  std::string out;
  std::size_t pos = 0;
  for (const auto& field : schema) {
    std::size_t length = *field_wire_length(field.kind, rdata.subspan(pos));
    std::string text = field_to_text(field.kind, rdata.subspan(pos, length));
    pos += length;
    if (text.empty()) continue;  // absent SvcParams, empty type bitmap
    if (!out.empty()) out.push_back(' ');
    out += text;
  }
  return out;
}

Status rdata_check_wire(RRType type, std::span<const std::uint8_t> rdata) {
  if (rdata.size() > kMaxRdataLength)
    return Error{rrtype_to_text(type) + ": RDATA longer than 65535 octets"};
  auto schema = rdata_schema(type);
  if (schema.empty()) return Ok{};  // opaque: any octets are valid (RFC 3597 §4)
  return schema_check_wire(type, schema, rdata);
}

Result<std::vector<std::string>> rdata_tokenize(std::string_view text) {
  MasterLexer::Options options;
  options.refuse_comments = true;
  // The text is in memory already: the line limit guards reading files, and RDATA text may
  // be longer than a file's line (65535 octets written as \DDD take 262,140 characters).
  options.max_line_octets = 0;
  MasterLexer lexer(text, options);
  auto entry = lexer.next();
  if (!entry) return Error{entry.error()};
  if (!*entry) return std::vector<std::string>{};
  auto more = lexer.next();
  if (!more) return Error{more.error()};
  if (*more) return Error{"RDATA must be on one line (or inside parentheses)"};
  return std::move((*entry)->fields);
}

}  // namespace apex
