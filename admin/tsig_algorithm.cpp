// The TSIG algorithms apexctl accepts for keys (RFC 8945 §6), with their digest lengths.
#include "admin/tsig_algorithm.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace apex::admin {
namespace {

// RFC 8945 §6. hmac-md5 is left out: its use MUST NOT (§6). Truncated MACs (hmac-sha256-128
// ...) are a choice made when signing, not a property of the key.
constexpr std::array<TsigAlgorithm, 5> kAlgorithms = {{
    {"hmac-sha1", 20},
    {"hmac-sha224", 28},
    {"hmac-sha256", 32},
    {"hmac-sha384", 48},
    {"hmac-sha512", 64},
}};

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::optional<TsigAlgorithm> tsig_algorithm(std::string_view text) {
  if (text.ends_with('.')) text.remove_suffix(1);
  const std::string name = lowered(text);
  for (const TsigAlgorithm& a : kAlgorithms)
    if (a.name == name) return a;
  return std::nullopt;
}

std::string tsig_algorithm_names() {
  std::string names;
  for (const TsigAlgorithm& a : kAlgorithms)
    names += (names.empty() ? "" : ", ") + std::string(a.name);
  return names;
}

}  // namespace apex::admin
