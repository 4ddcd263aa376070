// JSON text (RFC 8259) for apexctl's --json output and apexd's control-socket replies.
#pragma once

#include <concepts>
#include <string>
#include <string_view>
#include <vector>

namespace apex {

// text as a quoted JSON string. Quotes, backslashes and control characters are escaped;
// well-formed UTF-8 passes as it is, and every other octet above 0x7F is escaped as the code
// point of the same value: text from a client or a file is not known to be UTF-8, and the
// output must stay valid JSON (RFC 8259 §8.1).
std::string json_string(std::string_view text);

// One JSON object, members in the order added: {"zone": "example.com.", "serial": 3}.
class JsonObject {
 public:
  JsonObject& add(std::string_view key, std::string_view text);  // a string
  JsonObject& add(std::string_view key, const char* text) {
    return add(key, std::string_view(text));
  }
  JsonObject& add(std::string_view key, const std::string& text) {
    return add(key, std::string_view(text));
  }
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonObject& add(std::string_view key, T number) {
    return add_raw(key, std::to_string(number));
  }
  JsonObject& add(std::string_view key, bool value);
  JsonObject& add_raw(std::string_view key, std::string_view json);  // already JSON
  JsonObject& merge(const JsonObject& other);                        // other's members, after
  // The members with their separators, without the braces (to merge into another object).
  const std::string& members() const { return members_; }
  std::string str() const { return "{" + members_ + "}"; }

 private:
  std::string members_;
};

// A JSON array of already-JSON elements: on one line, or one element per line when multiline
// (the form apexctl's list commands print, easy to read and to diff).
std::string json_array(const std::vector<std::string>& elements, bool multiline = false);
std::string json_string_array(const std::vector<std::string>& texts);

}  // namespace apex
