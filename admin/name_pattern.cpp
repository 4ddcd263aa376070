// Shell-style patterns over domain names, for "zone list --match".
#include "admin/name_pattern.hpp"

#include <cctype>

namespace apex::admin {
namespace {

std::string_view without_trailing_dot(std::string_view text) {
  if (text.size() > 1 && text.back() == '.') text.remove_suffix(1);
  return text;
}

char fold(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

NamePattern::NamePattern(std::string_view pattern) : pattern_(without_trailing_dot(pattern)) {}

bool NamePattern::matches(std::string_view name_text) const {
  const std::string_view name = without_trailing_dot(name_text);
  const std::string_view p = pattern_;
  // Iterative glob with one backtrack point (the last '*'): linear in practice, never
  // exponential.
  std::size_t n = 0, i = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (i < p.size() && p[i] == '*') {
      star = i++;
      resume = n;
    } else if (i < p.size() && (p[i] == '?' || fold(p[i]) == fold(name[n]))) {
      ++i;
      ++n;
    } else if (star != std::string_view::npos) {
      i = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (i < p.size() && p[i] == '*') ++i;
  return i == p.size();
}

}  // namespace apex::admin
