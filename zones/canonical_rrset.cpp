// The canonical form of RRs and RRsets for DNSSEC (RFC 4034 §6.2, §6.3; RFC 6840 §5.1).
#include "zones/canonical_rrset.hpp"

#include <algorithm>
#include <array>

#include "zones/name.hpp"

namespace apex {
namespace {

// What precedes each embedded name: octets to skip, or the NAPTR character-strings.
enum class Part : std::uint8_t { kName, kSkip2, kSkip6, kSkip18, kThreeStrings };

struct NameLayout {
  std::uint16_t type;
  std::array<Part, 3> parts;
  std::uint8_t count;
};

using P = Part;
// RFC 4034 §6.2 item 3 without NSEC (RFC 6840 §5.1) and without HINFO, SIG, NXT and A6:
// HINFO holds no names, and the other three can't be stored other than as opaque RDATA.
constexpr std::array<NameLayout, 19> kLayouts{{
    {2, {P::kName}, 1},                        // NS
    {3, {P::kName}, 1},                        // MD
    {4, {P::kName}, 1},                        // MF
    {5, {P::kName}, 1},                        // CNAME
    {6, {P::kName, P::kName}, 2},              // SOA
    {7, {P::kName}, 1},                        // MB
    {8, {P::kName}, 1},                        // MG
    {9, {P::kName}, 1},                        // MR
    {12, {P::kName}, 1},                       // PTR
    {14, {P::kName, P::kName}, 2},             // MINFO
    {15, {P::kSkip2, P::kName}, 2},            // MX
    {17, {P::kName, P::kName}, 2},             // RP
    {18, {P::kSkip2, P::kName}, 2},            // AFSDB
    {21, {P::kSkip2, P::kName}, 2},            // RT
    {26, {P::kSkip2, P::kName, P::kName}, 3},  // PX
    {33, {P::kSkip6, P::kName}, 2},            // SRV
    {35, {P::kThreeStrings, P::kName}, 2},     // NAPTR (after order, preference)
    {36, {P::kSkip2, P::kName}, 2},            // KX
    {39, {P::kName}, 1},                       // DNAME
}};
constexpr NameLayout kRrsigLayout{46, {P::kSkip18, P::kName}, 2};

const NameLayout* layout_of(RRType type) {
  auto code = static_cast<std::uint16_t>(type);
  if (code == kRrsigLayout.type) return &kRrsigLayout;
  for (const auto& layout : kLayouts)
    if (layout.type == code) return &layout;
  return nullptr;
}

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

std::size_t skip_strings(const std::vector<std::uint8_t>& rdata, std::size_t pos) {
  pos += 4;  // NAPTR order and preference (RFC 3403 §4.1)
  for (int i = 0; i < 3 && pos < rdata.size(); ++i) pos += 1 + rdata[pos];
  return pos;
}

}  // namespace

std::vector<std::uint8_t> canonical_rdata(RRType type, std::span<const std::uint8_t> rdata) {
  std::vector<std::uint8_t> out(rdata.begin(), rdata.end());
  const NameLayout* layout = layout_of(type);
  if (!layout) return out;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < layout->count && pos < out.size(); ++i) {
    switch (layout->parts[i]) {
      case Part::kName:
        pos = lower_name(out, pos);
        break;
      case Part::kSkip2:
        pos += 2;
        break;
      case Part::kSkip6:
        pos += 6;
        break;
      case Part::kSkip18:
        pos += 18;
        break;
      case Part::kThreeStrings:
        pos = skip_strings(out, pos);
        break;
    }
  }
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
