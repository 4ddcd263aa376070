// RFC 3597 §5 generic RDATA presentation form: "\# LENGTH HEX...".
#include "zones/generic_rdata.hpp"

#include "zones/base_encoding.hpp"
#include "zones/number_text.hpp"
#include "zones/text_excerpt.hpp"

namespace apex {

bool is_generic_rdata(std::span<const std::string> tokens) {
  return !tokens.empty() && tokens[0] == "\\#";
}

Result<std::vector<std::uint8_t>> generic_rdata_from_text(std::span<const std::string> tokens) {
  if (tokens.size() < 2) return Error{"length: missing"};
  auto length = parse_decimal(tokens[1], 65535);
  if (!length)
    return Error{"length: " + quoted_excerpt(tokens[1]) + " is not a number from 0 to 65535"};
  std::string hex;
  for (const auto& token : tokens.subspan(2)) hex += token;
  auto octets = hex_decode(hex);
  if (!octets) return Error{"data: " + quoted_excerpt(hex) + " is not hexadecimal"};
  if (octets->size() != *length)
    return Error{"data: " + std::to_string(octets->size()) + " octets, but the length says " +
                 std::to_string(*length)};
  return std::move(*octets);
}

std::string generic_rdata_to_text(std::span<const std::uint8_t> rdata) {
  std::string out = "\\# " + std::to_string(rdata.size());
  if (!rdata.empty()) out += " " + hex_encode(rdata);
  return out;
}

}  // namespace apex
