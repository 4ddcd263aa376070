// The RDATA layout of each supported type (RFC 1035 §3.3, and the RFC of each type): one table
// from which text parsing, name compression, decompression and additional processing read.
#include "zones/rdata_schema.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace apex {
namespace {

using K = FieldKind;

constexpr FieldSpec kA[] = {{K::kIPv4, "address"}};      // RFC 1035 §3.4.1
constexpr FieldSpec kAAAA[] = {{K::kIPv6, "address"}};   // RFC 3596 §2.2
constexpr FieldSpec kNS[] = {{K::kName, "nameserver"}};  // RFC 1035 §3.3.11
constexpr FieldSpec kTarget[] = {{K::kName, "target"}};  // CNAME, DNAME, PTR, ALIAS
constexpr FieldSpec kSOA[] = {                           // RFC 1035 §3.3.13
    {K::kName, "mname"}, {K::kName, "rname"},  {K::kU32, "serial"},  {K::kTime, "refresh"},
    {K::kTime, "retry"}, {K::kTime, "expire"}, {K::kTime, "minimum"}};
constexpr FieldSpec kMX[] = {{K::kU16, "preference"}, {K::kName, "exchange"}};  // §3.3.9
constexpr FieldSpec kTXT[] = {{K::kStrings, "text"}};                           // §3.3.14
constexpr FieldSpec kHINFO[] = {{K::kString, "cpu"}, {K::kString, "os"}};       // §3.3.2
constexpr FieldSpec kSRV[] = {                                                  // RFC 2782
    {K::kU16, "priority"},
    {K::kU16, "weight"},
    {K::kU16, "port"},
    {K::kName, "target"}};
constexpr FieldSpec kNAPTR[] = {  // RFC 3403 §4
    {K::kU16, "order"},       {K::kU16, "preference"}, {K::kString, "flags"},
    {K::kString, "services"}, {K::kString, "regexp"},  {K::kName, "replacement"}};
constexpr FieldSpec kCAA[] = {  // RFC 8659 §4.1
    {K::kU8, "flags"},
    {K::kCaaTag, "tag"},
    {K::kCaaValue, "value"}};
constexpr FieldSpec kDS[] = {  // RFC 4034 §5.3
    {K::kU16, "key tag"},
    {K::kU8, "algorithm"},
    {K::kU8, "digest type"},
    {K::kHex, "digest"}};
constexpr FieldSpec kSSHFP[] = {  // RFC 4255 §3.2
    {K::kU8, "algorithm"},
    {K::kU8, "fingerprint type"},
    {K::kHex, "fingerprint"}};
constexpr FieldSpec kDNSKEY[] = {  // RFC 4034 §2.2
    {K::kU16, "flags"},
    {K::kU8, "protocol"},
    {K::kU8, "algorithm"},
    {K::kBase64, "public key"}};
constexpr FieldSpec kRRSIG[] = {  // RFC 4034 §3.2
    {K::kType, "type covered"}, {K::kU8, "algorithm"},       {K::kU8, "labels"},
    {K::kU32, "original TTL"},  {K::kSigTime, "expiration"}, {K::kSigTime, "inception"},
    {K::kU16, "key tag"},       {K::kName, "signer"},        {K::kBase64, "signature"}};
constexpr FieldSpec kNSEC[] = {  // RFC 4034 §4.2
    {K::kName, "next name"},
    {K::kTypeBitmap, "types"}};
constexpr FieldSpec kNSEC3[] = {  // RFC 5155 §3.3
    {K::kU8, "hash algorithm"},      {K::kU8, "flags"},
    {K::kU16, "iterations"},         {K::kSalt, "salt"},
    {K::kHashedName, "next hashed"}, {K::kTypeBitmap, "types"}};
constexpr FieldSpec kNSEC3PARAM[] = {  // RFC 5155 §4.3
    {K::kU8, "hash algorithm"},
    {K::kU8, "flags"},
    {K::kU16, "iterations"},
    {K::kSalt, "salt"}};
constexpr FieldSpec kTLSA[] = {  // RFC 6698 §2.2
    {K::kU8, "usage"},
    {K::kU8, "selector"},
    {K::kU8, "matching type"},
    {K::kHex, "data"}};
constexpr FieldSpec kSVCB[] = {  // RFC 9460 §2.1
    {K::kU16, "priority"},
    {K::kName, "target"},
    {K::kSvcParams, "param"}};

using C = NameCompression;

// One row per supported type: its fields, and the wire rules for the names among them (the
// compression allowed, the name additional processing follows).
constexpr std::array<RdataLayout, 26> kLayouts{{
    {RRType::A, kA},
    {RRType::NS, kNS, C::kBothWays, 0},
    {RRType::CNAME, kTarget, C::kBothWays},
    {RRType::SOA, kSOA, C::kBothWays},
    {RRType::PTR, kTarget, C::kBothWays},
    {RRType::HINFO, kHINFO},
    {RRType::MX, kMX, C::kBothWays, 1},
    {RRType::TXT, kTXT},
    {RRType::AAAA, kAAAA},
    {RRType::SRV, kSRV, C::kOnInput, 3},
    {RRType::NAPTR, kNAPTR, C::kOnInput},
    {RRType::DNAME, kTarget, C::kOnInput},
    {RRType::DS, kDS},
    {RRType::SSHFP, kSSHFP},
    {RRType::DNSKEY, kDNSKEY},
    // RFC 4034 §3.1.7, §4.1.1 and RFC 3597 §4: the signer and next names are never compressed.
    {RRType::RRSIG, kRRSIG},
    {RRType::NSEC, kNSEC},
    {RRType::NSEC3, kNSEC3},
    {RRType::NSEC3PARAM, kNSEC3PARAM},
    {RRType::CDS, kDS},          // RFC 7344 §3.1
    {RRType::CDNSKEY, kDNSKEY},  // RFC 7344 §3.2
    {RRType::TLSA, kTLSA},
    {RRType::SVCB, kSVCB},  // RFC 9460 §2.2: TargetName is never compressed
    {RRType::HTTPS, kSVCB},
    {RRType::CAA, kCAA},
    {RRType::ALIAS, kTarget},
}};

// Types whose names may be compressed are walked part by part on the wire.
static_assert(std::all_of(kLayouts.begin(), kLayouts.end(), [](const RdataLayout& layout) {
  return layout.compression == NameCompression::kNever || !layout.wire_parts().empty();
}));
// Additional processing follows a name.
static_assert(std::all_of(kLayouts.begin(), kLayouts.end(), [](const RdataLayout& layout) {
  return layout.additional_field == kNoField ||
         (layout.additional_field < layout.fields.size() &&
          layout.fields[layout.additional_field].kind == FieldKind::kName);
}));

// Digest lengths fixed by a type code in an earlier field: DS digest types (RFC 4034
// §5.1.4, RFC 4509, RFC 5933, RFC 6605), SSHFP fingerprint types (RFC 4255, RFC 6594) and
// TLSA matching types (RFC 6698 §2.1.3).
struct DigestRule {
  RRType type;
  std::size_t selector_offset;  // the octet holding the digest/matching type
  std::uint8_t selector;
  std::size_t length;
  std::string_view field;
  std::string_view selector_name;
};

constexpr std::array<DigestRule, 12> kDigestRules{{
    {RRType::DS, 3, 1, 20, "digest", "digest type"},
    {RRType::DS, 3, 2, 32, "digest", "digest type"},
    {RRType::DS, 3, 3, 32, "digest", "digest type"},
    {RRType::DS, 3, 4, 48, "digest", "digest type"},
    {RRType::CDS, 3, 1, 20, "digest", "digest type"},  // RFC 7344 §3.1: DS's layout
    {RRType::CDS, 3, 2, 32, "digest", "digest type"},
    {RRType::CDS, 3, 3, 32, "digest", "digest type"},
    {RRType::CDS, 3, 4, 48, "digest", "digest type"},
    {RRType::SSHFP, 1, 1, 20, "fingerprint", "fingerprint type"},
    {RRType::SSHFP, 1, 2, 32, "fingerprint", "fingerprint type"},
    {RRType::TLSA, 2, 1, 32, "data", "matching type"},
    {RRType::TLSA, 2, 2, 64, "data", "matching type"},
}};

}  // namespace

namespace rdata_layout_detail {

constinit const std::array<const RdataLayout*, kIndexedCodes> kByCode = [] {
  std::array<const RdataLayout*, kIndexedCodes> index{};
  for (const RdataLayout& layout : kLayouts)
    if (auto code = static_cast<std::uint16_t>(layout.type); code < index.size())
      index[code] = &layout;
  return index;
}();

const RdataLayout* find_above_indexed(RRType type) {
  auto it = std::find_if(kLayouts.begin(), kLayouts.end(),
                         [type](const RdataLayout& layout) { return layout.type == type; });
  return it == kLayouts.end() ? nullptr : &*it;
}

}  // namespace rdata_layout_detail

std::span<const FieldSpec> rdata_schema(RRType type) {
  const RdataLayout* layout = rdata_layout(type);
  return layout ? layout->fields : std::span<const FieldSpec>{};
}

std::span<const std::uint8_t> additional_name(RRType type, std::span<const std::uint8_t> rdata) {
  const RdataLayout* layout = rdata_layout(type);
  if (!layout || layout->additional_field == kNoField) return {};
  std::size_t pos = 0;
  for (std::size_t i = 0; i < layout->additional_field; ++i) {
    auto length = field_wire_length(layout->fields[i].kind, rdata.subspan(pos));
    if (!length) return {};
    pos += *length;
  }
  auto length = wire_name_length(rdata.subspan(pos));
  return length ? rdata.subspan(pos, *length) : std::span<const std::uint8_t>{};
}

Status check_rdata_constraints(RRType type, std::span<const std::uint8_t> rdata) {
  for (const auto& rule : kDigestRules) {
    if (rule.type != type || rdata.size() <= rule.selector_offset ||
        rdata[rule.selector_offset] != rule.selector)
      continue;
    std::size_t actual = rdata.size() - rule.selector_offset - 1;
    if (actual != rule.length)
      return Error{std::string(rule.field) + ": " + std::string(rule.selector_name) + " " +
                   std::to_string(rule.selector) + " needs " + std::to_string(rule.length) +
                   " octets, not " + std::to_string(actual)};
  }
  return Ok{};
}

}  // namespace apex
