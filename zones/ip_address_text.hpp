// IP address presentation forms: dotted quad (RFC 1035 §3.4.1) and IPv6 (RFC 4291 §2.2,
// printed in the RFC 5952 canonical form).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace apex {

std::optional<std::array<std::uint8_t, 4>> ipv4_from_text(std::string_view text);
std::optional<std::array<std::uint8_t, 16>> ipv6_from_text(std::string_view text);

// data must hold exactly 4 (resp. 16) octets.
std::string ipv4_to_text(std::span<const std::uint8_t> data);
std::string ipv6_to_text(std::span<const std::uint8_t> data);

}  // namespace apex
