// Base16, base64 and base32hex (RFC 4648 §8, §4, §7) as used in presentation-form RDATA.
#include "zones/base_encoding.hpp"

namespace apex {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

constexpr char kBase32HexAlphabet[] = "0123456789abcdefghijklmnopqrstuv";

int base32hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'v') return c - 'a' + 10;
  if (c >= 'A' && c <= 'V') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

std::string hex_encode(std::span<const std::uint8_t> data) {
  std::string out;
  out.reserve(data.size() * 2);
  for (std::uint8_t b : data) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 0xf]);
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  int nbits = 0;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    int v = base64_value(text[i]);
    if (v < 0) return std::nullopt;  // also a '=' before the end
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<std::uint8_t>(bits >> nbits));
      bits &= (1u << nbits) - 1;
    }
  }
  return out;
}

std::string base64_encode(std::span<const std::uint8_t> data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    std::uint32_t v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kBase64Alphabet[(v >> shift) & 63]);
  }
  std::size_t rest = data.size() - i;
  if (rest == 0) return out;
  std::uint32_t v = data[i] << 16;
  if (rest == 2) v |= data[i + 1] << 8;
  out.push_back(kBase64Alphabet[(v >> 18) & 63]);
  out.push_back(kBase64Alphabet[(v >> 12) & 63]);
  out.push_back(rest == 2 ? kBase64Alphabet[(v >> 6) & 63] : '=');
  out.push_back('=');
  return out;
}

std::optional<std::vector<std::uint8_t>> base32hex_decode(std::string_view text) {
  std::vector<std::uint8_t> out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    int v = base32hex_value(c);
    if (v < 0) return std::nullopt;
    bits = (bits << 5) | static_cast<std::uint32_t>(v);
    count += 5;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<std::uint8_t>(bits >> count));
      bits &= (1u << count) - 1;
    }
  }
  // Unpadded base32 leaves 0, 2, 4, 1 or 3 spare bits (RFC 4648 §6), all of them zero.
  if (count >= 5 || bits != 0) return std::nullopt;
  return out;
}

std::string base32hex_encode(std::span<const std::uint8_t> data) {
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (std::uint8_t b : data) {
    bits = (bits << 8) | b;
    count += 8;
    while (count >= 5) {
      count -= 5;
      out.push_back(kBase32HexAlphabet[(bits >> count) & 31]);
    }
    bits &= (1u << count) - 1;
  }
  if (count > 0) out.push_back(kBase32HexAlphabet[(bits << (5 - count)) & 31]);
  return out;
}

}  // namespace apex
