// The RDATA layout of each supported type (RFC 1035 §3.3, and the RFC of each type) and the
// constraints between its fields that a layout alone cannot express.
#pragma once

#include <cstdint>
#include <span>

#include "zones/rdata_fields.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"

namespace apex {

// Fields of the type in order; empty for types only known in RFC 3597 generic form.
std::span<const FieldSpec> rdata_schema(RRType type);

// Cross-field checks on RDATA whose fields are well formed, e.g. a DS digest has the length
// its digest type requires. Errors name the field: "digest: ...".
Status check_rdata_constraints(RRType type, std::span<const std::uint8_t> rdata);

}  // namespace apex
