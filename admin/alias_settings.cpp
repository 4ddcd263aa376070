// Fallback addresses and health checks of an alias: arguments in, canonical text out.
#include "admin/alias_settings.hpp"

#include <algorithm>
#include <charconv>

#include "zones/ip_address_text.hpp"

namespace apex::admin {
namespace {

using Address = std::vector<std::uint8_t>;

Result<Address> address_from_text(std::string_view text) {
  if (auto v4 = ipv4_from_text(text)) return Address(v4->begin(), v4->end());
  if (auto v6 = ipv6_from_text(text)) return Address(v6->begin(), v6->end());
  return Error{"invalid fallback address '" + std::string(text) +
               "': expected an IPv4 or IPv6 address"};
}

std::string address_to_text(const Address& address) {
  return address.size() == 4 ? ipv4_to_text(address) : ipv6_to_text(address);
}

// IPv4 (4 octets) before IPv6 (16), then octet order.
bool address_less(const Address& a, const Address& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

}  // namespace

std::vector<std::string> split_list(std::string_view stored) {
  std::vector<std::string> items;
  if (stored.empty()) return items;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t comma = stored.find(',', pos);
    items.emplace_back(stored.substr(pos, comma - pos));
    if (comma == std::string_view::npos) return items;
    pos = comma + 1;
  }
}

Result<std::string> fallback_argument(std::span<const std::string> values) {
  std::vector<Address> addresses;
  for (const std::string& value : values) {
    // split_list("") has no entries, but an empty value is a mistake worth naming.
    const auto items = value.empty() ? std::vector<std::string>{""} : split_list(value);
    for (const std::string& item : items) {
      auto address = address_from_text(item);
      if (!address) return Error{address.error()};
      addresses.push_back(std::move(address).value());
    }
  }
  std::sort(addresses.begin(), addresses.end(), address_less);
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  std::string text;
  for (const Address& a : addresses) text += (text.empty() ? "" : ",") + address_to_text(a);
  return text;
}

Result<std::string> health_argument(std::string_view text) {
  const Error error{"invalid health check '" + std::string(text) +
                    "': expected tcp:PORT with PORT from 1 to 65535"};
  constexpr std::string_view kTcp = "tcp:";
  if (text.size() <= kTcp.size()) return error;
  std::string scheme(text.substr(0, kTcp.size()));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](char c) { return static_cast<char>(fold_case(static_cast<std::uint8_t>(c))); });
  if (scheme != kTcp) return error;
  const std::string_view digits = text.substr(kTcp.size());
  unsigned port = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, port);
  if (ec != std::errc() || ptr != end || port < 1 || port > 65535) return error;
  return "tcp:" + std::to_string(port);
}

Result<std::vector<std::vector<std::uint8_t>>> addresses_of_family(std::string_view stored,
                                                                   RRType family) {
  std::vector<Address> out;
  for (const std::string& item : split_list(stored)) {
    auto address = address_from_text(item);
    if (!address) return Error{"'" + item + "' is not an IPv4 or IPv6 address"};
    if (address->size() == (family == RRType::AAAA ? 16u : 4u)) out.push_back(*address);
  }
  return out;
}

bool has_settings(const storage::AliasSettings& settings) {
  return !settings.fallback.empty() || !settings.health.empty();
}

bool same_settings(const storage::AliasSettings& a, const storage::AliasSettings& b) {
  return a.fallback == b.fallback && a.health == b.health;
}

std::string settings_text(const storage::AliasSettings& settings) {
  std::string text;
  if (!settings.fallback.empty()) text = "fallback " + settings.fallback;
  if (!settings.health.empty()) text += (text.empty() ? "" : "; ") + ("health " + settings.health);
  return text;
}

}  // namespace apex::admin
