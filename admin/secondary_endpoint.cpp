// A secondary's address and port as apexctl reads them: ADDR[:PORT], IPv6 in brackets.
#include "admin/secondary_endpoint.hpp"

#include <algorithm>
#include <charconv>

#include "zones/ip_address_text.hpp"

namespace apex::admin {
namespace {

Result<std::uint16_t> port_text(std::string_view text) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value == 0 || value > 65535)
    return Error{"port '" + std::string(text) + "' is not a number from 1 to 65535"};
  return static_cast<std::uint16_t>(value);
}

template <class Octets>
bool unspecified(const Octets& octets) {
  return std::all_of(octets.begin(), octets.end(), [](std::uint8_t o) { return o == 0; });
}

// The address and the text after it (":PORT" or nothing).
Result<std::pair<std::string, std::string_view>> split(std::string_view text) {
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return Error{"missing ']' after the IPv6 address"};
    auto v6 = ipv6_from_text(text.substr(1, close - 1));
    if (!v6)
      return Error{"'" + std::string(text.substr(1, close - 1)) + "' is not an IPv6 address"};
    if (unspecified(*v6)) return Error{"the unspecified address :: is not a secondary"};
    return std::pair{ipv6_to_text(*v6), text.substr(close + 1)};
  }
  const auto colon = text.find(':');
  if (colon != text.rfind(':'))
    return Error{"write an IPv6 address in brackets: [" + std::string(text) + "]:53"};
  const std::string_view address = text.substr(0, colon);
  auto v4 = ipv4_from_text(address);
  if (!v4) return Error{"'" + std::string(address) + "' is not an IPv4 address"};
  if (unspecified(*v4)) return Error{"the unspecified address 0.0.0.0 is not a secondary"};
  return std::pair{ipv4_to_text(*v4),
                   colon == std::string_view::npos ? std::string_view() : text.substr(colon)};
}

}  // namespace

Result<SecondaryEndpoint> secondary_endpoint_argument(std::string_view text) {
  const std::string where = "invalid secondary '" + std::string(text) + "': ";
  auto parts = split(text);
  if (!parts) return Error{where + parts.error()};
  SecondaryEndpoint endpoint{std::move(parts->first), 53};
  const std::string_view rest = parts->second;
  if (rest.empty()) return endpoint;
  if (!rest.starts_with(':')) return Error{where + "expected ':PORT' after the address"};
  auto port = port_text(rest.substr(1));
  if (!port) return Error{where + port.error()};
  endpoint.port = *port;
  return endpoint;
}

}  // namespace apex::admin
