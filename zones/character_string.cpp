// RFC 1035 §5.1 <character-string> presentation form: quoting and "\X" / "\DDD" escapes.
#include "zones/character_string.hpp"

#include <cstdio>

namespace apex {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Decodes the escape whose backslash is at text[i]; advances i past it.
Result<char> decode_escape(std::string_view text, std::size_t& i) {
  ++i;  // the backslash
  if (i >= text.size()) return Error{"ends with a lone backslash"};
  if (!is_digit(text[i])) return text[i++];
  if (i + 3 > text.size() || !is_digit(text[i + 1]) || !is_digit(text[i + 2]))
    return Error{"has a \\DDD escape without three digits"};
  int v = (text[i] - '0') * 100 + (text[i + 1] - '0') * 10 + (text[i + 2] - '0');
  if (v > 255) return Error{"has a \\DDD escape above 255"};
  i += 3;
  return static_cast<char>(v);
}

// Decodes body (the text between quotes, or the whole unquoted token).
Result<std::string> decode_body(std::string_view body, bool quoted) {
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size();) {
    if (body[i] == '\\') {
      auto c = decode_escape(body, i);
      if (!c) return Error{c.error()};
      out.push_back(*c);
    } else if (body[i] == '"') {
      return Error{quoted ? "has text after the closing quote"
                          : "has a quote that does not start the string"};
    } else {
      out.push_back(body[i++]);
    }
  }
  return out;
}

// Index of the closing quote of a token that starts with '"', or npos.
std::size_t closing_quote(std::string_view token) {
  for (std::size_t i = 1; i < token.size(); ++i) {
    if (token[i] == '\\')
      ++i;
    else if (token[i] == '"')
      return i;
  }
  return std::string_view::npos;
}

}  // namespace

Result<std::string> parse_character_string(std::string_view token, std::size_t max_length) {
  bool quoted = !token.empty() && token[0] == '"';
  std::string_view body = token;
  if (quoted) {
    std::size_t end = closing_quote(token);
    if (end == std::string_view::npos) return Error{"has no closing quote"};
    if (end + 1 != token.size()) return Error{"has text after the closing quote"};
    body = token.substr(1, end - 1);
  }
  auto octets = decode_body(body, quoted);
  if (!octets) return octets;
  if (octets->size() > max_length)
    return Error{"is longer than " + std::to_string(max_length) + " octets"};
  return octets;
}

std::string character_string_to_text(std::string_view octets) {
  std::string out = "\"";
  for (char ch : octets) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\%03u", c);
      out.append(buf);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace apex
