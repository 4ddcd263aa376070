// JSON text (RFC 8259).
#include "zones/json_text.hpp"

#include <cstdio>

namespace apex {
namespace {

// The length of the well-formed UTF-8 sequence at text[at] (RFC 3629 §4), or 0.
std::size_t utf8_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t n = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (n == 0 || at + n > text.size()) return 0;
  for (std::size_t i = 1; i < n; ++i)
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  const unsigned char second = byte(at + 1);
  // No overlong forms, surrogates or code points above U+10FFFF.
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
      (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F))
    return 0;
  return n;
}

}  // namespace

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u >= 0x80 && utf8_length(text, i) > 0) {
      const std::size_t n = utf8_length(text, i);
      out.append(text.substr(i, n));
      i += n - 1;
    } else if (u < 0x20 || u >= 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

JsonObject& JsonObject::add_raw(std::string_view key, std::string_view json) {
  if (!members_.empty()) members_ += ", ";
  members_ += json_string(key);
  members_ += ": ";
  members_ += json;
  return *this;
}

JsonObject& JsonObject::merge(const JsonObject& other) {
  if (other.members_.empty()) return *this;
  if (!members_.empty()) members_ += ", ";
  members_ += other.members_;
  return *this;
}

JsonObject& JsonObject::add(std::string_view key, std::string_view text) {
  return add_raw(key, json_string(text));
}

JsonObject& JsonObject::add(std::string_view key, bool value) {
  return add_raw(key, value ? "true" : "false");
}

std::string json_array(const std::vector<std::string>& elements, bool multiline) {
  if (elements.empty()) return "[]";
  std::string out = "[";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ",";
    out += multiline ? "\n  " : (i > 0 ? " " : "");
    out += elements[i];
  }
  return out + (multiline ? "\n]" : "]");
}

std::string json_string_array(const std::vector<std::string>& texts) {
  std::vector<std::string> elements;
  elements.reserve(texts.size());
  for (const std::string& t : texts) elements.push_back(json_string(t));
  return json_array(elements);
}

}  // namespace apex
