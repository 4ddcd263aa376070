// RR type and class mnemonics (IANA registry), the generic TYPEnnn / CLASSnnn forms (RFC 3597
// §5) and the meta-type ranges (RFC 6895 §3.1).
#include "zones/rrtype.hpp"

#include <array>
#include <utility>

#include "zones/number_text.hpp"

namespace apex {
namespace {

constexpr std::array<std::pair<std::uint16_t, std::string_view>, 34> kTypeMnemonics{{
    {1, "A"},       {2, "NS"},     {5, "CNAME"},    {6, "SOA"},       {12, "PTR"},
    {13, "HINFO"},  {15, "MX"},    {16, "TXT"},     {28, "AAAA"},     {33, "SRV"},
    {35, "NAPTR"},  {39, "DNAME"}, {41, "OPT"},     {43, "DS"},       {44, "SSHFP"},
    {46, "RRSIG"},  {47, "NSEC"},  {48, "DNSKEY"},  {50, "NSEC3"},    {51, "NSEC3PARAM"},
    {52, "TLSA"},   {59, "CDS"},   {60, "CDNSKEY"}, {64, "SVCB"},     {65, "HTTPS"},
    {249, "TKEY"},  {250, "TSIG"}, {251, "IXFR"},   {252, "AXFR"},    {253, "MAILB"},
    {254, "MAILA"}, {255, "ANY"},  {257, "CAA"},    {65401, "ALIAS"},
}};

constexpr std::array<std::pair<std::uint16_t, std::string_view>, 5> kClassMnemonics{{
    {1, "IN"},
    {3, "CH"},
    {4, "HS"},
    {254, "NONE"},
    {255, "ANY"},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
    if (x != y) return false;
  }
  return true;
}

template <std::size_t N>
std::string to_text(const std::array<std::pair<std::uint16_t, std::string_view>, N>& table,
                    std::uint16_t code, std::string_view generic_prefix) {
  for (const auto& [value, mnemonic] : table)
    if (value == code) return std::string(mnemonic);
  return std::string(generic_prefix) + std::to_string(code);
}

// Mnemonic (case-insensitive) or the generic prefix followed by a decimal 0..65535.
template <std::size_t N>
std::optional<std::uint16_t> from_text(
    const std::array<std::pair<std::uint16_t, std::string_view>, N>& table, std::string_view text,
    std::string_view generic_prefix) {
  for (const auto& [value, mnemonic] : table)
    if (iequals(text, mnemonic)) return value;
  if (text.size() <= generic_prefix.size() ||
      !iequals(text.substr(0, generic_prefix.size()), generic_prefix))
    return std::nullopt;
  auto code = parse_decimal(text.substr(generic_prefix.size()), 65535);
  if (!code) return std::nullopt;
  return static_cast<std::uint16_t>(*code);
}

}  // namespace

std::string rrtype_to_text(RRType type) {
  return to_text(kTypeMnemonics, static_cast<std::uint16_t>(type), "TYPE");
}

std::optional<RRType> rrtype_from_text(std::string_view text) {
  auto code = from_text(kTypeMnemonics, text, "TYPE");
  if (!code) return std::nullopt;
  return static_cast<RRType>(*code);
}

std::string rrclass_to_text(RRClass cls) {
  return to_text(kClassMnemonics, static_cast<std::uint16_t>(cls), "CLASS");
}

std::optional<RRClass> rrclass_from_text(std::string_view text) {
  auto code = from_text(kClassMnemonics, text, "CLASS");
  if (!code) return std::nullopt;
  return static_cast<RRClass>(*code);
}

bool is_meta_type(RRType type) {
  auto code = static_cast<std::uint16_t>(type);
  // OPT is a pseudo-RR (RFC 6891 §6.1.1); 128-255 are the Q and Meta types (RFC 6895 §3.1),
  // which include TKEY, TSIG, IXFR, AXFR, MAILB, MAILA and ANY.
  return type == RRType::OPT || (code >= 128 && code <= 255);
}

}  // namespace apex
