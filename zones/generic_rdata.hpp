// RFC 3597 §5 generic RDATA presentation form: "\# LENGTH HEX...".
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zones/result.hpp"

namespace apex {

// True when the RDATA fields are in generic form (the first is "\#").
bool is_generic_rdata(std::span<const std::string> tokens);

// Octets of generic-form fields; the length must match the hex (which may be split).
Result<std::vector<std::uint8_t>> generic_rdata_from_text(std::span<const std::string> tokens);

std::string generic_rdata_to_text(std::span<const std::uint8_t> rdata);

}  // namespace apex
