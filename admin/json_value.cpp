// A small recursive-descent JSON reader (RFC 8259 §2-§7) for control socket replies.
#include "admin/json_value.hpp"

#include <charconv>

namespace apex::admin {

// Reads one value at a time from the text; every failure is an Error, never an exception.
class JsonReader {
 public:
  static constexpr int kMaxDepth = 32;

  explicit JsonReader(std::string_view text) : text_(text) {}

  Result<JsonValue> document() {
    auto value = read(0);
    if (!value) return value;
    skip_space();
    if (at_ < text_.size()) return fail("text after the value");
    return value;
  }

 private:
  Error fail(const std::string& what) const {
    return Error{"invalid JSON at offset " + std::to_string(at_) + ": " + what};
  }

  void skip_space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }

  bool take(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  Result<JsonValue> read(int depth) {
    if (depth > kMaxDepth) return fail("nested too deeply");
    skip_space();
    if (at_ >= text_.size()) return fail("a value is missing");
    JsonValue value;
    const char c = text_[at_];
    if (take("null")) return value;
    if (take("true") || take("false")) {
      value.kind_ = JsonValue::Kind::kBool;
      value.text_ = c == 't' ? "true" : "false";
      return value;
    }
    if (c == '"') {
      auto text = string();
      if (!text) return Error{text.error()};
      value.kind_ = JsonValue::Kind::kString;
      value.text_ = std::move(*text);
      return value;
    }
    if (c == '[') return array(depth);
    if (c == '{') return object(depth);
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    return fail("unexpected character");
  }

  Result<JsonValue> number() {
    const std::size_t start = at_;
    while (at_ < text_.size() &&
           std::string_view("+-0123456789.eE").find(text_[at_]) != std::string_view::npos)
      ++at_;
    JsonValue value;
    value.kind_ = JsonValue::Kind::kNumber;
    value.text_ = std::string(text_.substr(start, at_ - start));
    double ignored = 0;
    auto [end, ec] =
        std::from_chars(value.text_.data(), value.text_.data() + value.text_.size(), ignored);
    if (ec != std::errc() || end != value.text_.data() + value.text_.size())
      return fail("malformed number");
    return value;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  Result<std::string> string() {
    ++at_;  // the opening quote
    std::string out;
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= text_.size()) break;
      const char e = text_[at_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          const auto hex = text_.substr(at_, 4);
          auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
          if (hex.size() != 4 || ec != std::errc() || end != hex.data() + 4)
            return fail("malformed \\u escape");
          at_ += 4;
          append_utf8(out, cp);  // surrogate halves are kept as they are: replies never use them
          break;
        }
        default:
          return fail("unknown escape");
      }
    }
    return fail("unterminated string");
  }

  Result<JsonValue> array(int depth) {
    ++at_;
    JsonValue value;
    value.kind_ = JsonValue::Kind::kArray;
    skip_space();
    if (take("]")) return value;
    while (true) {
      auto element = read(depth + 1);
      if (!element) return element;
      value.elements_.push_back(std::move(*element));
      skip_space();
      if (take("]")) return value;
      if (!take(",")) return fail("expected ',' or ']'");
    }
  }

  Result<JsonValue> object(int depth) {
    ++at_;
    JsonValue value;
    value.kind_ = JsonValue::Kind::kObject;
    skip_space();
    if (take("}")) return value;
    while (true) {
      skip_space();
      if (at_ >= text_.size() || text_[at_] != '"') return fail("expected a member name");
      auto key = string();
      if (!key) return Error{key.error()};
      skip_space();
      if (!take(":")) return fail("expected ':'");
      auto member = read(depth + 1);
      if (!member) return member;
      value.members_.emplace_back(std::move(*key), std::move(*member));
      skip_space();
      if (take("}")) return value;
      if (!take(",")) return fail("expected ',' or '}'");
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

std::optional<std::int64_t> JsonValue::integer() const {
  if (kind_ != Kind::kNumber) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), v);
  if (ec != std::errc() || end != text_.data() + text_.size()) return std::nullopt;
  return v;
}

const JsonValue& JsonValue::operator[](std::string_view key) const {
  static const JsonValue kNull;
  for (const auto& [name, value] : members_)
    if (name == key) return value;
  return kNull;
}

Result<JsonValue> JsonValue::parse(std::string_view text) {
  return JsonReader(text).document();
}

}  // namespace apex::admin
