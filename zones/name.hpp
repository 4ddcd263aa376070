// Domain names (RFC 1035 §3.1) in uncompressed wire form, compared case-insensitively (RFC 4343).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "zones/result.hpp"

namespace apex {

inline constexpr std::size_t kMaxNameLength = 255;  // RFC 1035 §3.1, wire octets
inline constexpr std::size_t kMaxLabelLength = 63;  // RFC 1035 §2.3.4

// ASCII-only case folding (RFC 4343 §3): other octets compare as they are.
constexpr std::uint8_t fold_case(std::uint8_t c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + 32) : c;
}

class Name {
 public:
  // The root name ".".
  Name();

  // Presentation form (RFC 1035 §5.1): "\." and "\DDD" escapes; "@" is the origin; a name
  // without a trailing dot is relative to origin.
  static Result<Name> from_text(std::string_view text, const Name& origin);
  // Absolute presentation form only (a missing trailing dot is accepted and means absolute).
  static Result<Name> from_text(std::string_view text);
  // Uncompressed wire form; every label checked.
  static Result<Name> from_wire(std::span<const std::uint8_t> wire);

  // Absolute presentation form with the trailing dot; special octets escaped.
  std::string to_text() const;

  // Wire octets, including the terminating root label.
  std::span<const std::uint8_t> wire() const {
    return {reinterpret_cast<const std::uint8_t*>(wire_.data()), wire_.size()};
  }
  std::string_view wire_view() const { return wire_; }
  std::size_t wire_length() const { return wire_.size(); }

  bool is_root() const { return wire_.size() == 1; }
  std::size_t label_count() const;  // root has 0
  // The leftmost label's octets (without length); empty for the root.
  std::string_view first_label() const;
  bool is_wildcard() const { return wire_.size() >= 2 && wire_[0] == 1 && wire_[1] == '*'; }

  // The name without its leftmost label; the root's parent is the root.
  Name parent() const;
  // True when this name equals ancestor or lies below it.
  bool is_subdomain_of(const Name& ancestor) const;
  // label + "." + this; fails if the label or the result is too long.
  Result<Name> prepend(std::string_view label) const;
  // The same name with ASCII letters lowered: the key form used by zone indexes.
  Name lowercased() const;

  friend bool operator==(const Name& a, const Name& b);
  // Canonical DNS name order (RFC 4034 §6.1).
  std::strong_ordering canonical_compare(const Name& other) const;
  std::size_t hash() const;  // consistent with case-insensitive ==

 private:
  explicit Name(std::string wire) : wire_(std::move(wire)) {}
  std::string wire_;
};

struct NameHash {
  std::size_t operator()(const Name& n) const { return n.hash(); }
};

struct CanonicalLess {
  bool operator()(const Name& a, const Name& b) const { return a.canonical_compare(b) < 0; }
};

// Case-insensitive equality of two uncompressed wire names.
bool wire_names_equal(std::string_view a, std::string_view b);
// Canonical DNS name order (RFC 4034 §6.1) of two valid uncompressed wire names, without
// building a Name: what the answer engine uses to find the NSEC covering a name.
std::strong_ordering canonical_compare_wire(std::string_view a, std::string_view b);

}  // namespace apex
