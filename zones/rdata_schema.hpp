// The RDATA layout of each supported type (RFC 1035 §3.3, and the RFC of each type): its
// fields, how the domain names among them travel on the wire, which one additional
// processing follows, and the constraints between fields that a layout alone cannot express.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "zones/rdata_fields.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"

namespace apex {

// Whether the names in a type's RDATA may be compressed (RFC 1035 §4.1.4).
enum class NameCompression : std::uint8_t {
  // Never: later types (RFC 3597 §4), and every type without names.
  kNever,
  // Not on output, but decompressed on input because some servers compress them: SRV and
  // NAPTR (RFC 3597 §4, RFC 2782 after RFC 2052), and DNAME.
  kOnInput,
  // The types of RFC 1035: compressed on output, so decompressed on input (RFC 3597 §4).
  kBothWays,
};

inline constexpr std::uint8_t kNoField = 0xFF;

// A stretch of RDATA as a reader or writer of compressed names walks it: a run of fixed-size
// fields, one domain name, or one <character-string> (its first octet tells its length).
struct WirePart {
  enum class Kind : std::uint8_t { kOctets, kName, kString };
  Kind kind = Kind::kOctets;
  std::uint8_t octets = 0;  // for kOctets
  friend constexpr bool operator==(const WirePart&, const WirePart&) = default;
};

inline constexpr std::size_t kMaxWireParts = 6;

struct RdataLayout {
  constexpr RdataLayout(RRType type, std::span<const FieldSpec> fields,
                        NameCompression compression = NameCompression::kNever,
                        std::uint8_t additional_field = kNoField)
      : type(type), fields(fields), compression(compression), additional_field(additional_field) {
    for (const FieldSpec& field : fields)
      if (!add_part(field.kind)) {
        part_count_ = 0;
        return;
      }
  }

  RRType type;
  std::span<const FieldSpec> fields;
  NameCompression compression;
  // Index of the name field additional processing follows (RFC 1035 §3.3.9 MX, §3.3.11 NS;
  // RFC 2782 SRV), or kNoField.
  std::uint8_t additional_field;

  // The whole RDATA as WireParts, adjacent fixed-size fields merged into one run: what name
  // compression and decompression walk. Empty when a field's extent is neither fixed nor told
  // by its first octet (TXT, hex, base64, SvcParams, CAA).
  constexpr std::span<const WirePart> wire_parts() const { return {parts_.data(), part_count_}; }

 private:
  constexpr bool add_part(FieldKind kind) {
    WirePart part;
    if (kind == FieldKind::kName) {
      part.kind = WirePart::Kind::kName;
    } else if (kind == FieldKind::kString) {
      part.kind = WirePart::Kind::kString;
    } else if (std::size_t octets = fixed_wire_size(kind); octets == 0) {
      return false;
    } else if (part_count_ > 0 && parts_[part_count_ - 1u].kind == WirePart::Kind::kOctets) {
      parts_[part_count_ - 1u].octets =
          static_cast<std::uint8_t>(parts_[part_count_ - 1u].octets + octets);
      return true;
    } else {
      part.octets = static_cast<std::uint8_t>(octets);
    }
    if (part_count_ == parts_.size()) return false;
    parts_[part_count_++] = part;
    return true;
  }

  std::array<WirePart, kMaxWireParts> parts_{};
  std::uint8_t part_count_ = 0;
};

namespace rdata_layout_detail {
// The rows by type code below 512, nullptr where none; the lookup is inline because every
// record of every response makes it.
inline constexpr std::size_t kIndexedCodes = 512;
extern const std::array<const RdataLayout*, kIndexedCodes> kByCode;
const RdataLayout* find_above_indexed(RRType type);
}  // namespace rdata_layout_detail

// The layout of a supported type; nullptr for types only known in RFC 3597 generic form.
inline const RdataLayout* rdata_layout(RRType type) {
  const auto code = static_cast<std::uint16_t>(type);
  return code < rdata_layout_detail::kIndexedCodes ? rdata_layout_detail::kByCode[code]
                                                   : rdata_layout_detail::find_above_indexed(type);
}

// Fields of the type in order; empty for types only known in RFC 3597 generic form.
std::span<const FieldSpec> rdata_schema(RRType type);

// The uncompressed wire name additional processing follows in well-formed RDATA of the
// type; empty if the type has none or the RDATA does not hold it.
std::span<const std::uint8_t> additional_name(RRType type, std::span<const std::uint8_t> rdata);

// Cross-field checks on RDATA whose fields are well formed, e.g. a DS digest has the length
// its digest type requires. Errors name the field: "digest: ...".
Status check_rdata_constraints(RRType type, std::span<const std::uint8_t> rdata);

}  // namespace apex
