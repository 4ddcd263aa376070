// Shell-style patterns over domain names, for "zone list --match".
#pragma once

#include <string>
#include <string_view>

namespace apex::admin {

// A glob: '*' matches any run of characters (dots included), '?' one character; ASCII
// letters match case-insensitively (RFC 4343). Names and pattern are compared without a
// trailing dot, so "*.example.com" and "*.example.com." are the same pattern.
class NamePattern {
 public:
  explicit NamePattern(std::string_view pattern);
  bool matches(std::string_view name_text) const;

 private:
  std::string pattern_;
};

}  // namespace apex::admin
