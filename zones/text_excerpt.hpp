// Short, printable excerpts of untrusted input for error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace apex {

inline constexpr std::size_t kExcerptLength = 40;

// At most max octets of text, each octet outside printable ASCII written as \DDD (the RFC 1035
// §5.1 escape), and "..." after it when text was longer: a 10 MB field or a line of a file
// that was never meant to be read (a key, a password) is not repeated into an error message.
std::string excerpt(std::string_view text, std::size_t max = kExcerptLength);

// excerpt(text) between single quotes, the form error messages quote input in.
std::string quoted_excerpt(std::string_view text);

}  // namespace apex
