// Punycode encoding, RFC 3492 §6.3, with the parameters of §5.
#include "admin/punycode.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace apex::admin {
namespace {

constexpr std::uint32_t kBase = 36, kTmin = 1, kTmax = 26, kSkew = 38, kDamp = 700;
constexpr std::uint32_t kInitialBias = 72, kInitialN = 128;

// RFC 3492 §6.1.
std::uint32_t adapt(std::uint32_t delta, std::uint32_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  std::uint32_t k = 0;
  while (delta > ((kBase - kTmin) * kTmax) / 2) {
    delta /= kBase - kTmin;
    k += kBase;
  }
  return k + (kBase - kTmin + 1) * delta / (delta + kSkew);
}

char digit(std::uint32_t d) {
  return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
}

std::optional<std::vector<std::uint32_t>> code_points(std::string_view utf8) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const std::size_t length = lead < 0x80       ? 1
                               : lead >> 5 == 6  ? 2
                               : lead >> 4 == 14 ? 3
                               : lead >> 3 == 30 ? 4
                                                 : 0;
    if (length == 0 || i + length > utf8.size()) return std::nullopt;
    std::uint32_t cp = length == 1 ? lead : lead & (0x7Fu >> length);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      if (next >> 6 != 2) return std::nullopt;
      cp = cp << 6 | (next & 0x3Fu);
    }
    out.push_back(cp);
    i += length;
  }
  return out;
}

void encode_point(std::string& out, std::uint32_t q, std::uint32_t bias) {
  for (std::uint32_t k = kBase;; k += kBase) {
    const std::uint32_t t = k <= bias ? kTmin : k >= bias + kTmax ? kTmax : k - bias;
    if (q < t) break;
    out += digit(t + (q - t) % (kBase - t));
    q = (q - t) / (kBase - t);
  }
  out += digit(q);
}

}  // namespace

std::optional<std::string> to_a_label(std::string_view utf8_label) {
  auto input = code_points(utf8_label);
  if (!input) return std::nullopt;
  std::string out;
  for (std::uint32_t cp : *input)
    if (cp < 0x80) out += static_cast<char>(cp);
  const auto basic = static_cast<std::uint32_t>(out.size());
  if (basic == input->size()) return out;
  if (basic > 0) out += '-';
  std::uint32_t n = kInitialN, delta = 0, bias = kInitialBias, handled = basic;
  while (handled < input->size()) {
    std::uint32_t m = UINT32_MAX;
    for (std::uint32_t cp : *input)
      if (cp >= n) m = std::min(m, cp);
    delta += (m - n) * (handled + 1);
    n = m;
    for (std::uint32_t cp : *input) {
      if (cp < n) ++delta;
      if (cp != n) continue;
      encode_point(out, delta, bias);
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return "xn--" + out;
}

}  // namespace apex::admin
