// IP address presentation forms: dotted quad (RFC 1035 §3.4.1) and IPv6 (RFC 4291 §2.2,
// printed in the RFC 5952 canonical form).
#include "zones/ip_address_text.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace apex {
namespace {

// inet_pton needs a NUL-terminated string; anything longer than an address is not one.
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> parse(int family, std::string_view text) {
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.size() >= sizeof buf) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  std::array<std::uint8_t, N> out{};
  if (inet_pton(family, buf, out.data()) != 1) return std::nullopt;
  return out;
}

std::string print(int family, std::span<const std::uint8_t> data) {
  char buf[INET6_ADDRSTRLEN];
  if (inet_ntop(family, data.data(), buf, sizeof buf) == nullptr) return {};
  return buf;
}

}  // namespace

std::optional<std::array<std::uint8_t, 4>> ipv4_from_text(std::string_view text) {
  return parse<4>(AF_INET, text);
}

std::optional<std::array<std::uint8_t, 16>> ipv6_from_text(std::string_view text) {
  return parse<16>(AF_INET6, text);
}

std::string ipv4_to_text(std::span<const std::uint8_t> data) {
  return print(AF_INET, data);
}

std::string ipv6_to_text(std::span<const std::uint8_t> data) {
  return print(AF_INET6, data);
}

}  // namespace apex
