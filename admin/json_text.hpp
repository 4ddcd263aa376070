// JSON text for apexctl's --json output (RFC 8259).
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace apex::admin {

// text as a quoted JSON string. Presentation-form names and RDATA are ASCII (other octets
// are \DDD-escaped), so escaping quotes, backslashes and control characters suffices.
std::string json_string(std::string_view text);

// One JSON object on one line, members in the order added: {"name": "x", "records": 3}.
class JsonObject {
 public:
  JsonObject& add(std::string_view key, std::string_view text);  // a string
  JsonObject& add(std::string_view key, const char* text) {
    return add(key, std::string_view(text));
  }
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonObject& add(std::string_view key, T number) {
    return add_raw(key, std::to_string(number));
  }
  JsonObject& add(std::string_view key, bool value);
  JsonObject& add_raw(std::string_view key, std::string_view json);  // already JSON
  std::string str() const { return "{" + members_ + "}"; }

 private:
  std::string members_;
};

// A JSON array of already-JSON elements, one per line when multiline (the form the list
// commands print, easy to read and to diff).
std::string json_array(const std::vector<std::string>& elements, bool multiline);
std::string json_string_array(const std::vector<std::string>& texts);

}  // namespace apex::admin
