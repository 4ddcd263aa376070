// SVCB/HTTPS SvcParams (RFC 9460 §2.1, §7, §8, Appendix A): presentation form <-> wire form.
#include "zones/svcb_params.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string_view>

#include "zones/base_encoding.hpp"
#include "zones/character_string.hpp"
#include "zones/ip_address_text.hpp"
#include "zones/number_text.hpp"
#include "zones/text_excerpt.hpp"

namespace apex {
namespace {

using Octets = std::vector<std::uint8_t>;
using ParamMap = std::map<std::uint16_t, Octets>;  // ordered: the wire order (RFC 9460 §2.2)

// SvcParamKeys registered by RFC 9460 §14.3.2.
enum Key : std::uint16_t {
  kMandatory = 0,
  kAlpn = 1,
  kNoDefaultAlpn = 2,
  kPort = 3,
  kIpv4Hint = 4,
  kEch = 5,
  kIpv6Hint = 6,
  kInvalidKey = 65535,
};

constexpr std::array<std::string_view, 7> kKeyNames{"mandatory", "alpn", "no-default-alpn", "port",
                                                    "ipv4hint",  "ech",  "ipv6hint"};

std::uint16_t get_u16(std::span<const std::uint8_t> p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

void put_u16(Octets& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

std::string key_to_text(std::uint16_t key) {
  if (key < kKeyNames.size()) return std::string(kKeyNames[key]);
  return "key" + std::to_string(key);
}

// A key name, or "keyNNNNN" (RFC 9460 §2.1); key65535 is reserved as invalid (§14.3.2).
std::optional<std::uint16_t> key_from_text(std::string_view text) {
  for (std::size_t i = 0; i < kKeyNames.size(); ++i)
    if (text == kKeyNames[i]) return static_cast<std::uint16_t>(i);
  if (!text.starts_with("key")) return std::nullopt;
  auto number = parse_decimal(text.substr(3), kInvalidKey - 1);
  if (!number) return std::nullopt;
  return static_cast<std::uint16_t>(*number);
}

// Value-list (RFC 9460 Appendix A.1): comma-separated items, "\," and "\\" escaped. Applied
// after the character-string escapes are already decoded.
Result<std::vector<std::string>> split_value_list(std::string_view value) {
  std::vector<std::string> items(1);
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == ',') {
      items.emplace_back();
      continue;
    }
    if (value[i] == '\\' && ++i == value.size()) return Error{"value ends with a lone backslash"};
    items.back().push_back(value[i]);
  }
  for (const auto& item : items)
    if (item.empty()) return Error{"empty item in the comma-separated list"};
  return items;
}

std::string join_value_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out.push_back(',');
    for (char c : item) {
      if (c == ',' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
  }
  return out;
}

Result<Octets> mandatory_from_text(const std::vector<std::string>& items) {
  std::vector<std::uint16_t> keys;
  for (const auto& item : items) {
    auto key = key_from_text(item);
    if (!key) return Error{quoted_excerpt(item) + " is not a key"};
    if (*key == kMandatory) return Error{"must not list mandatory itself"};
    if (std::find(keys.begin(), keys.end(), *key) != keys.end())
      return Error{"lists " + excerpt(item) + " twice"};
    keys.push_back(*key);
  }
  std::sort(keys.begin(), keys.end());  // wire order is increasing (RFC 9460 §8)
  Octets out;
  for (auto key : keys) put_u16(out, key);
  return out;
}

Result<Octets> alpn_from_text(const std::vector<std::string>& items) {
  Octets out;
  for (const auto& id : items) {
    if (id.size() > kMaxCharacterString) return Error{"protocol id longer than 255 octets"};
    out.push_back(static_cast<std::uint8_t>(id.size()));
    out.insert(out.end(), id.begin(), id.end());
  }
  return out;
}

template <class Parse>
Result<Octets> addresses_from_text(const std::vector<std::string>& items, Parse parse,
                                   std::string_view family) {
  Octets out;
  for (const auto& item : items) {
    auto address = parse(item);
    if (!address)
      return Error{quoted_excerpt(item) + " is not an " + std::string(family) + " address"};
    out.insert(out.end(), address->begin(), address->end());
  }
  return out;
}

// Wire value of one key from its decoded presentation value (empty when absent).
Result<Octets> value_from_text(std::uint16_t key, const std::string& value) {
  if (key == kNoDefaultAlpn) {
    if (!value.empty()) return Error{"takes no value"};
    return Octets{};
  }
  if (key > kIpv6Hint) return Octets(value.begin(), value.end());  // opaque (RFC 9460 §2.1)
  if (value.empty()) return Error{"needs a value"};
  if (key == kPort) {
    auto port = parse_decimal(value, 65535);
    if (!port) return Error{quoted_excerpt(value) + " is not a number from 0 to 65535"};
    Octets out;
    put_u16(out, static_cast<std::uint16_t>(*port));
    return out;
  }
  if (key == kEch) {
    auto decoded = base64_decode(value);
    if (!decoded || decoded->empty()) return Error{quoted_excerpt(value) + " is not base64"};
    return *decoded;
  }
  auto items = split_value_list(value);
  if (!items) return Error{items.error()};
  if (key == kMandatory) return mandatory_from_text(*items);
  if (key == kAlpn) return alpn_from_text(*items);
  if (key == kIpv4Hint) return addresses_from_text(*items, ipv4_from_text, "IPv4");
  return addresses_from_text(*items, ipv6_from_text, "IPv6");
}

// One "key=value" or "key" field into params.
Status param_from_text(const std::string& field, ParamMap& params) {
  auto eq = field.find('=');
  std::string key_text = field.substr(0, eq);
  auto key = key_from_text(key_text);
  if (!key) return Error{quoted_excerpt(key_text) + ": unknown key (write keyNNNNN for others)"};
  std::string prefix = key_to_text(*key) + ": ";
  if (params.count(*key)) return Error{prefix + "appears twice"};
  std::string value;
  if (eq != std::string::npos) {
    std::string token = field.substr(eq + 1);
    auto decoded = parse_character_string(token, 65535);
    if (!decoded) return Error{prefix + "value " + quoted_excerpt(token) + " " + decoded.error()};
    value = std::move(*decoded);
  }
  auto wire = value_from_text(*key, value);
  if (!wire) return Error{prefix + wire.error()};
  params.emplace(*key, std::move(*wire));
  return Ok{};
}

Status check_alpn_wire(std::span<const std::uint8_t> v) {
  if (v.empty()) return Error{"empty"};
  for (std::size_t pos = 0; pos < v.size(); pos += 1 + v[pos])
    if (v[pos] == 0 || pos + 1 + v[pos] > v.size()) return Error{"malformed protocol id list"};
  return Ok{};
}

Status check_mandatory_wire(std::span<const std::uint8_t> v) {
  if (v.empty() || v.size() % 2 != 0) return Error{"length is not a positive multiple of 2"};
  for (std::size_t pos = 0; pos < v.size(); pos += 2) {
    std::uint16_t key = get_u16(v.subspan(pos));
    if (key == kMandatory) return Error{"must not list mandatory itself"};
    if (pos > 0 && key <= get_u16(v.subspan(pos - 2))) return Error{"keys not in increasing order"};
  }
  return Ok{};
}

Status check_value_wire(std::uint16_t key, std::span<const std::uint8_t> v) {
  switch (key) {
    case kMandatory:
      return check_mandatory_wire(v);
    case kAlpn:
      return check_alpn_wire(v);
    case kNoDefaultAlpn:
      if (!v.empty()) return Error{"takes no value"};
      break;
    case kPort:
      if (v.size() != 2) return Error{"value is not 2 octets"};
      break;
    case kIpv4Hint:
      if (v.empty() || v.size() % 4 != 0) return Error{"length is not a positive multiple of 4"};
      break;
    case kEch:
      if (v.empty()) return Error{"empty"};
      break;
    case kIpv6Hint:
      if (v.empty() || v.size() % 16 != 0) return Error{"length is not a positive multiple of 16"};
      break;
    case kInvalidKey:
      return Error{"reserved as an invalid key (RFC 9460 §14.3.2)"};
    default:
      break;
  }
  return Ok{};
}

// Self-consistency (RFC 9460 §2.4.3): mandatory keys present (§8), alpn with no-default-alpn
// (§7.1.1).
Status check_consistency(const ParamMap& params) {
  auto mandatory = params.find(kMandatory);
  if (mandatory != params.end()) {
    const Octets& v = mandatory->second;
    for (std::size_t pos = 0; pos + 1 < v.size(); pos += 2) {
      std::uint16_t key = get_u16(std::span(v).subspan(pos));
      if (!params.count(key))
        return Error{"mandatory: lists " + key_to_text(key) + ", which is not among the params"};
    }
  }
  if (params.count(kNoDefaultAlpn) && !params.count(kAlpn))
    return Error{"no-default-alpn: needs an alpn param as well"};
  return Ok{};
}

Octets encode(const ParamMap& params) {
  Octets out;
  for (const auto& [key, value] : params) {
    put_u16(out, key);
    put_u16(out, static_cast<std::uint16_t>(value.size()));
    out.insert(out.end(), value.begin(), value.end());
  }
  return out;
}

// Splits wire SvcParams into a map, checking framing, order and each value.
Result<ParamMap> decode(std::span<const std::uint8_t> wire) {
  ParamMap params;
  std::size_t pos = 0;
  while (pos < wire.size()) {
    if (pos + 4 > wire.size()) return Error{"list ends inside a key or length"};
    std::uint16_t key = get_u16(wire.subspan(pos));
    std::uint16_t length = get_u16(wire.subspan(pos + 2));
    pos += 4;
    if (pos + length > wire.size()) return Error{key_to_text(key) + ": value runs past the end"};
    if (!params.empty() && key <= params.rbegin()->first)
      return Error{key_to_text(key) + ": keys not in strictly increasing order"};
    auto value = wire.subspan(pos, length);
    if (auto ok = check_value_wire(key, value); !ok)
      return Error{key_to_text(key) + ": " + ok.error()};
    params.emplace(key, Octets(value.begin(), value.end()));
    pos += length;
  }
  return params;
}

std::vector<std::string> alpn_ids(const Octets& v) {
  std::vector<std::string> ids;
  for (std::size_t pos = 0; pos < v.size(); pos += 1 + v[pos])
    ids.emplace_back(v.begin() + static_cast<std::ptrdiff_t>(pos + 1),
                     v.begin() + static_cast<std::ptrdiff_t>(pos + 1 + v[pos]));
  return ids;
}

std::string mandatory_to_text(const Octets& v) {
  std::string out;
  for (std::size_t pos = 0; pos + 1 < v.size(); pos += 2) {
    if (!out.empty()) out.push_back(',');
    out += key_to_text(get_u16(std::span(v).subspan(pos)));
  }
  return out;
}

template <std::size_t N, class Print>
std::string addresses_to_text(const Octets& v, Print print) {
  std::string out;
  for (std::size_t pos = 0; pos + N <= v.size(); pos += N) {
    if (!out.empty()) out.push_back(',');
    out += print(std::span(v).subspan(pos, N));
  }
  return out;
}

// "=value" for one checked param, or "" for keys shown without a value.
std::string value_to_text(std::uint16_t key, const Octets& v) {
  switch (key) {
    case kMandatory:
      return "=" + mandatory_to_text(v);
    case kAlpn:
      return "=" + character_string_to_text(join_value_list(alpn_ids(v)));
    case kNoDefaultAlpn:
      return "";
    case kPort:
      return "=" + std::to_string(get_u16(v));
    case kIpv4Hint:
      return "=" + addresses_to_text<4>(v, ipv4_to_text);
    case kEch:
      return "=" + base64_encode(v);
    case kIpv6Hint:
      return "=" + addresses_to_text<16>(v, ipv6_to_text);
    default:
      if (v.empty()) return "";
      return "=" + character_string_to_text(
                       std::string_view(reinterpret_cast<const char*>(v.data()), v.size()));
  }
}

}  // namespace

Result<std::vector<std::uint8_t>> svc_params_from_text(std::span<const std::string> fields) {
  ParamMap params;
  for (const auto& field : fields)
    if (auto ok = param_from_text(field, params); !ok) return Error{ok.error()};
  if (auto ok = check_consistency(params); !ok) return Error{ok.error()};
  return encode(params);
}

Status svc_params_check_wire(std::span<const std::uint8_t> wire) {
  auto params = decode(wire);
  if (!params) return Error{params.error()};
  return check_consistency(*params);
}

std::string svc_params_to_text(std::span<const std::uint8_t> wire) {
  auto params = decode(wire);
  if (!params) return {};
  std::string out;
  for (const auto& [key, value] : *params) {
    if (!out.empty()) out.push_back(' ');
    out += key_to_text(key) + value_to_text(key, value);
  }
  return out;
}

}  // namespace apex
