// Fallback addresses and health checks of an alias: arguments in, typed settings out, and
// their text form.
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

void sort_distinct(std::vector<Address>& addresses) {
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
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

Status set_fallback_argument(std::span<const std::string> values,
                             storage::AliasSettings& settings) {
  std::vector<Address> v4s, v6s;
  for (const std::string& value : values) {
    // split_list("") has no entries, but an empty value is a mistake worth naming.
    const auto items = value.empty() ? std::vector<std::string>{""} : split_list(value);
    for (const std::string& item : items) {
      auto address = address_from_text(item);
      if (!address) return Error{address.error()};
      (address->size() == 4 ? v4s : v6s).push_back(std::move(address).value());
    }
  }
  sort_distinct(v4s);
  sort_distinct(v6s);
  settings.fallback_a = std::move(v4s);
  settings.fallback_aaaa = std::move(v6s);
  return Ok{};
}

Result<std::uint16_t> health_argument(std::string_view text) {
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
  return static_cast<std::uint16_t>(port);
}

std::vector<std::string> fallback_texts(const storage::AliasSettings& settings) {
  std::vector<std::string> texts;
  for (const Address& a : settings.fallback_a) texts.push_back(ipv4_to_text(a));
  for (const Address& a : settings.fallback_aaaa) texts.push_back(ipv6_to_text(a));
  return texts;
}

std::string fallback_text(const storage::AliasSettings& settings) {
  std::string text;
  for (const std::string& a : fallback_texts(settings)) text += (text.empty() ? "" : ",") + a;
  return text;
}

std::string health_text(const storage::AliasSettings& settings) {
  return settings.health_tcp_port ? "tcp:" + std::to_string(*settings.health_tcp_port) : "";
}

bool has_settings(const storage::AliasSettings& settings) {
  return !settings.empty();
}

bool same_settings(const storage::AliasSettings& a, const storage::AliasSettings& b) {
  return a.same_values(b);
}

std::string settings_text(const storage::AliasSettings& settings) {
  std::string text;
  if (settings.has_fallback()) text = "fallback " + fallback_text(settings);
  if (settings.health_tcp_port)
    text += (text.empty() ? "" : "; ") + ("health " + health_text(settings));
  return text;
}

}  // namespace apex::admin
