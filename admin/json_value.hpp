// Reading JSON text (RFC 8259): the replies of apexd's control socket, which apexctl prints
// in a readable form. Input from a socket is untrusted: parsing never throws, and nesting is
// bounded.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zones/result.hpp"

namespace apex::admin {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  using Members = std::vector<std::pair<std::string, JsonValue>>;  // in document order

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  // The text of a string (escapes decoded, \u as UTF-8), a number as written, or of true and
  // false; empty for the rest.
  const std::string& text() const { return text_; }
  bool truthy() const { return kind_ == Kind::kBool && text_ == "true"; }
  // A number that is a whole number fitting 64 bits.
  std::optional<std::int64_t> integer() const;
  const std::vector<JsonValue>& elements() const { return elements_; }
  const Members& members() const { return members_; }
  // The member named key of an object; null (a static null value) when absent.
  const JsonValue& operator[](std::string_view key) const;

  // One JSON value, with nothing but white space after it.
  static Result<JsonValue> parse(std::string_view text);

 private:
  friend class JsonReader;
  Kind kind_ = Kind::kNull;
  std::string text_;
  std::vector<JsonValue> elements_;
  Members members_;
};

}  // namespace apex::admin
