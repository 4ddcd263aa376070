// Domain names: presentation-form parsing and printing (RFC 1035 §5.1, RFC 4343), wire
// validation (RFC 1035 §3.1) and canonical order (RFC 4034 §6.1).
#include "zones/name.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "zones/text_excerpt.hpp"

namespace apex {
namespace {

Error name_error(std::string_view text, std::string_view why) {
  return Error{"invalid name " + quoted_excerpt(text) + ": " + std::string(why)};
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Decodes one escape after a backslash at text[i]; advances i past it.
Result<std::uint8_t> decode_escape(std::string_view text, std::size_t& i) {
  if (i >= text.size()) return name_error(text, "trailing backslash");
  if (!is_digit(text[i])) return static_cast<std::uint8_t>(text[i++]);
  if (i + 3 > text.size() || !is_digit(text[i + 1]) || !is_digit(text[i + 2]))
    return name_error(text, "\\DDD escape needs three digits");
  int v = (text[i] - '0') * 100 + (text[i + 1] - '0') * 10 + (text[i + 2] - '0');
  if (v > 255) return name_error(text, "\\DDD escape above 255");
  i += 3;
  return static_cast<std::uint8_t>(v);
}

// Offsets of each label's length octet, in order from the leftmost.
std::size_t label_offsets(std::string_view wire, std::array<std::uint8_t, 128>& out) {
  std::size_t n = 0;
  for (std::size_t pos = 0; pos < wire.size() && wire[pos] != 0;
       pos += static_cast<std::uint8_t>(wire[pos]) + 1)
    out[n++] = static_cast<std::uint8_t>(pos);
  return n;
}

}  // namespace

Name::Name() : wire_(1, '\0') {}

Result<Name> Name::from_text(std::string_view text) {
  return from_text(text, Name());
}

Result<Name> Name::from_text(std::string_view text, const Name& origin) {
  if (text.empty()) return name_error(text, "empty");
  if (text == "@") return origin;
  if (text == ".") return Name();
  std::string wire;
  wire.reserve(text.size() + 2);
  std::size_t label_start = 0;
  wire.push_back('\0');
  bool absolute = false;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i++];
    if (c == '.') {
      std::size_t len = wire.size() - label_start - 1;
      if (len == 0) return name_error(text, "empty label");
      wire[label_start] = static_cast<char>(len);
      if (i == text.size()) {
        absolute = true;
        break;
      }
      label_start = wire.size();
      wire.push_back('\0');
      continue;
    }
    std::uint8_t octet = static_cast<std::uint8_t>(c);
    if (c == '\\') {
      auto decoded = decode_escape(text, i);
      if (!decoded) return Error{decoded.error()};
      octet = *decoded;
    }
    wire.push_back(static_cast<char>(octet));
    if (wire.size() - label_start - 1 > kMaxLabelLength)
      return name_error(text, "label longer than 63 octets");
  }
  if (!absolute) {
    std::size_t len = wire.size() - label_start - 1;
    wire[label_start] = static_cast<char>(len);
    wire.append(origin.wire_);
  } else {
    wire.push_back('\0');
  }
  if (wire.size() > kMaxNameLength) return name_error(text, "longer than 255 octets");
  return Name(std::move(wire));
}

Result<Name> Name::from_wire(std::span<const std::uint8_t> wire) {
  if (wire.empty() || wire.size() > kMaxNameLength) return Error{"wire name: bad length"};
  std::size_t pos = 0;
  while (pos < wire.size()) {
    std::uint8_t len = wire[pos];
    if (len == 0) {
      if (pos + 1 != wire.size()) return Error{"wire name: octets after the root label"};
      return Name(std::string(reinterpret_cast<const char*>(wire.data()), wire.size()));
    }
    if (len > kMaxLabelLength) return Error{"wire name: label longer than 63 octets"};
    pos += len + 1;
  }
  return Error{"wire name: missing root label"};
}

std::string Name::to_text() const {
  if (is_root()) return ".";
  std::string out;
  out.reserve(wire_.size() + 1);
  for (std::size_t pos = 0; wire_[pos] != 0;) {
    std::size_t len = static_cast<std::uint8_t>(wire_[pos]);
    for (std::size_t k = pos + 1; k <= pos + len; ++k) {
      auto c = static_cast<std::uint8_t>(wire_[k]);
      if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')' || c == '@' ||
          c == '$') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c <= 0x20 || c >= 0x7f) {
        char buf[5];
        std::snprintf(buf, sizeof buf, "\\%03u", c);
        out.append(buf);
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    out.push_back('.');
    pos += len + 1;
  }
  return out;
}

std::size_t Name::label_count() const {
  std::size_t n = 0;
  for (std::size_t pos = 0; wire_[pos] != 0; pos += static_cast<std::uint8_t>(wire_[pos]) + 1) ++n;
  return n;
}

std::string_view Name::first_label() const {
  return std::string_view(wire_).substr(1, static_cast<std::uint8_t>(wire_[0]));
}

Name Name::parent() const {
  if (is_root()) return *this;
  return Name(wire_.substr(static_cast<std::uint8_t>(wire_[0]) + 1));
}

bool Name::is_subdomain_of(const Name& ancestor) const {
  if (ancestor.wire_.size() > wire_.size()) return false;
  std::size_t skip = wire_.size() - ancestor.wire_.size();
  // The suffix must start on a label boundary.
  std::size_t pos = 0;
  while (pos < skip) pos += static_cast<std::uint8_t>(wire_[pos]) + 1;
  return pos == skip && wire_names_equal(std::string_view(wire_).substr(skip), ancestor.wire_);
}

Result<Name> Name::prepend(std::string_view label) const {
  if (label.empty() || label.size() > kMaxLabelLength) return Error{"label length out of range"};
  if (wire_.size() + label.size() + 1 > kMaxNameLength) return Error{"name too long"};
  std::string wire;
  wire.reserve(wire_.size() + label.size() + 1);
  wire.push_back(static_cast<char>(label.size()));
  wire.append(label);
  wire.append(wire_);
  return Name(std::move(wire));
}

Name Name::lowercased() const {
  std::string wire = wire_;
  for (std::size_t pos = 0; wire[pos] != 0; pos += static_cast<std::uint8_t>(wire[pos]) + 1) {
    std::size_t len = static_cast<std::uint8_t>(wire[pos]);
    for (std::size_t k = pos + 1; k <= pos + len; ++k)
      wire[k] = static_cast<char>(fold_case(static_cast<std::uint8_t>(wire[k])));
  }
  return Name(std::move(wire));
}

bool wire_names_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Length octets are < 64 and never letters, so folding them is harmless.
  for (std::size_t i = 0; i < a.size(); ++i)
    if (fold_case(static_cast<std::uint8_t>(a[i])) != fold_case(static_cast<std::uint8_t>(b[i])))
      return false;
  return true;
}

bool operator==(const Name& a, const Name& b) {
  return wire_names_equal(a.wire_, b.wire_);
}

std::strong_ordering canonical_compare_wire(std::string_view a_wire, std::string_view b_wire) {
  // RFC 4034 §6.1: compare label by label from the rightmost, each as lower-cased octets.
  std::array<std::uint8_t, 128> mine{}, theirs{};
  std::size_t n = label_offsets(a_wire, mine), m = label_offsets(b_wire, theirs);
  while (n > 0 && m > 0) {
    std::size_t a = mine[--n], b = theirs[--m];
    std::size_t la = static_cast<std::uint8_t>(a_wire[a]);
    std::size_t lb = static_cast<std::uint8_t>(b_wire[b]);
    for (std::size_t k = 1; k <= std::min(la, lb); ++k) {
      auto x = fold_case(static_cast<std::uint8_t>(a_wire[a + k]));
      auto y = fold_case(static_cast<std::uint8_t>(b_wire[b + k]));
      if (x != y) return x <=> y;
    }
    if (la != lb) return la <=> lb;
  }
  return n <=> m;
}

std::strong_ordering Name::canonical_compare(const Name& other) const {
  return canonical_compare_wire(wire_, other.wire_);
}

std::size_t Name::hash() const {
  // FNV-1a over folded octets: consistent with the case-insensitive equality.
  std::size_t h = 1469598103934665603ULL;
  for (char c : wire_) {
    h ^= fold_case(static_cast<std::uint8_t>(c));
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace apex
