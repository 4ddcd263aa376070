// Short, printable excerpts of untrusted input for error messages.
#include "zones/text_excerpt.hpp"

namespace apex {

std::string excerpt(std::string_view text, std::size_t max) {
  std::string out;
  const std::string_view shown = text.substr(0, max);
  for (char c : shown) {
    const auto octet = static_cast<unsigned char>(c);
    if (octet >= 0x20 && octet < 0x7f) {
      out += c;
    } else {
      out += '\\';
      out += static_cast<char>('0' + octet / 100);
      out += static_cast<char>('0' + octet / 10 % 10);
      out += static_cast<char>('0' + octet % 10);
    }
  }
  if (shown.size() < text.size()) out += "...";
  return out;
}

std::string quoted_excerpt(std::string_view text) {
  return "'" + excerpt(text) + "'";
}

}  // namespace apex
