// The canonical form of RRs and RRsets for DNSSEC (RFC 4034 §6.2, §6.3; RFC 6840 §5.1).
#include "zones/canonical_rrset.hpp"

#include <algorithm>
#include <array>

#include "zones/name.hpp"
#include "zones/rdata_schema.hpp"

namespace apex {
namespace {

// RFC 4034 §6.2 item 3, without NSEC (RFC 6840 §5.1): the types whose embedded names are
// lower-cased. Where the names sit comes from the RDATA layout table (rdata_schema.hpp);
// HINFO holds none, and SIG, NXT and A6 can't be stored other than as opaque RDATA.
constexpr std::array<std::uint16_t, 19> kLowerCased{
    2,   // NS
    3,   // MD
    4,   // MF
    5,   // CNAME
    6,   // SOA
    7,   // MB
    8,   // MG
    9,   // MR
    12,  // PTR
    14,  // MINFO
    15,  // MX
    17,  // RP
    18,  // AFSDB
    21,  // RT
    26,  // PX
    33,  // SRV
    35,  // NAPTR
    36,  // KX
    39,  // DNAME
};
constexpr std::uint16_t kRrsig = 46;

// The types of the list that apexdns keeps as opaque RDATA (obsolete or rare, RFC 1035
// §3.3, RFC 1183, RFC 2163, RFC 2230), so the layout table has no row for them: each is
// names only, or a 16-bit preference followed by names.
struct OpaqueLayout {
  std::uint16_t type;
  std::uint8_t preference_octets;
  std::uint8_t names;
};
constexpr std::array<OpaqueLayout, 11> kOpaque{{{3, 0, 1},
                                                {4, 0, 1},
                                                {7, 0, 1},
                                                {8, 0, 1},
                                                {9, 0, 1},
                                                {14, 0, 2},
                                                {17, 0, 2},
                                                {18, 2, 1},
                                                {21, 2, 1},
                                                {26, 2, 2},
                                                {36, 2, 1}}};

// Lowers the name at pos; returns the position after it, or out.size() when malformed.
std::size_t lower_name(std::vector<std::uint8_t>& out, std::size_t pos) {
  while (pos < out.size()) {
    std::size_t length = out[pos];
    if (length == 0) return pos + 1;
    if (length > kMaxLabelLength || pos + 1 + length > out.size()) break;
    for (std::size_t i = pos + 1; i <= pos + length; ++i) out[i] = fold_case(out[i]);
    pos += 1 + length;
  }
  return out.size();
}

// The name fields of a type with a layout, walked field by field.
void lower_layout_names(const RdataLayout& layout, std::vector<std::uint8_t>& out) {
  std::size_t pos = 0;
  for (const FieldSpec& field : layout.fields) {
    if (pos >= out.size()) return;
    if (field.kind == FieldKind::kName) {
      pos = lower_name(out, pos);
      continue;
    }
    auto length = field_wire_length(field.kind, std::span<const std::uint8_t>(out).subspan(pos));
    if (!length) return;
    pos += *length;
  }
}

void lower_opaque_names(const OpaqueLayout& layout, std::vector<std::uint8_t>& out) {
  std::size_t pos = layout.preference_octets;
  for (std::size_t i = 0; i < layout.names && pos < out.size(); ++i) pos = lower_name(out, pos);
}

}  // namespace

std::vector<std::uint8_t> canonical_rdata(RRType type, std::span<const std::uint8_t> rdata) {
  std::vector<std::uint8_t> out(rdata.begin(), rdata.end());
  const auto code = static_cast<std::uint16_t>(type);
  if (code != kRrsig &&
      std::find(kLowerCased.begin(), kLowerCased.end(), code) == kLowerCased.end())
    return out;
  if (const RdataLayout* layout = rdata_layout(type)) {
    lower_layout_names(*layout, out);
    return out;
  }
  auto opaque = std::find_if(kOpaque.begin(), kOpaque.end(),
                             [code](const OpaqueLayout& l) { return l.type == code; });
  if (opaque != kOpaque.end()) lower_opaque_names(*opaque, out);
  return out;
}

std::vector<std::vector<std::uint8_t>> canonical_rdata_set(
    RRType type, std::span<const std::vector<std::uint8_t>> rdatas) {
  std::vector<std::vector<std::uint8_t>> out;
  out.reserve(rdatas.size());
  for (const auto& rdata : rdatas) out.push_back(canonical_rdata(type, rdata));
  // std::vector's < is the lexicographic order of unsigned octets, a prefix first.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace apex
