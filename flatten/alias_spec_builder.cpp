// ALIAS owners are found by scanning the zone's nodes: a one-off cost per zone build, never
// on the query path.
#include "flatten/alias_spec_builder.hpp"

#include <charconv>
#include <sstream>

#include "zones/alias_table.hpp"
#include "zones/ip_address_text.hpp"

namespace apex::flatten {
namespace {

void add_fallbacks(const std::string& text, AliasSpec& spec) {
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (auto v4 = ipv4_from_text(item))
      spec.fallback_a.emplace_back(v4->begin(), v4->end());
    else if (auto v6 = ipv6_from_text(item))
      spec.fallback_aaaa.emplace_back(v6->begin(), v6->end());
  }
}

std::optional<std::uint16_t> health_port(const std::string& text) {
  constexpr std::string_view kPrefix = "tcp:";
  if (text.rfind(kPrefix, 0) != 0) return std::nullopt;
  unsigned port = 0;
  const char* begin = text.data() + kPrefix.size();
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port == 0 || port > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(port);
}

Name wire_name(std::string_view wire) {
  auto name = Name::from_wire({reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size()});
  return name ? *name : Name();
}

}  // namespace

std::vector<AliasSpec> alias_specs(const Zone& zone, const SettingsLookup& settings_of) {
  std::vector<AliasSpec> out;
  for (const auto& [key, node] : zone.nodes()) {
    const RRset* alias = node.find(RRType::ALIAS);
    if (!alias) continue;
    AliasSpec spec{wire_name(node.owner), wire_name(alias_target_key(*alias)), alias->ttl, {}, {},
                   std::nullopt};
    if (const storage::AliasSettings* s = settings_of(spec.owner)) {
      add_fallbacks(s->fallback, spec);
      spec.health_tcp_port = health_port(s->health);
    }
    out.push_back(std::move(spec));
  }
  return out;
}

}  // namespace apex::flatten
