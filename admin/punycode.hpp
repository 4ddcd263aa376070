// Punycode (RFC 3492): the ASCII form of an internationalized label, as IDNA A-labels carry it
// after "xn--" (RFC 5890 §2.3.2.1).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace apex::admin {

// The A-label of a UTF-8 label: the label itself when it is ASCII, else "xn--" and its
// Punycode. nullopt for malformed UTF-8. No IDNA mapping is applied (the input is taken as
// already lower-case and normalized, as the Public Suffix List is).
std::optional<std::string> to_a_label(std::string_view utf8_label);

}  // namespace apex::admin
