// Specification of the excerpts error messages quote untrusted input with.
#include "zones/text_excerpt.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace apex;

TEST_CASE("a short printable text is its own excerpt") {
  CHECK(excerpt("www.example.com.") == "www.example.com.");
  CHECK(excerpt("") == "");
  CHECK(quoted_excerpt("300.0.0.1") == "'300.0.0.1'");
}

TEST_CASE("a text longer than the limit is cut, with ... after it") {
  const std::string forty(40, 'a');
  CHECK(excerpt(forty) == forty);
  CHECK(excerpt(forty + "b") == forty + "...");
  CHECK(excerpt(std::string(10'000'000, 'x')).size() == 43);
  CHECK(excerpt("abcdef", 3) == "abc...");
}

TEST_CASE("octets outside printable ASCII are written as \\DDD") {
  CHECK(excerpt(std::string("a\0b", 3)) == "a\\000b");
  CHECK(excerpt("tab\there\n") == "tab\\009here\\010");
  CHECK(excerpt("\x7f\xff\xEF\xBB\xBF") == "\\127\\255\\239\\187\\191");
  // The limit counts input octets, so an escaped excerpt is at most four times as long.
  CHECK(excerpt(std::string(50, '\0')) == [] {
    std::string out;
    for (int i = 0; i < 40; ++i) out += "\\000";
    return out + "...";
  }());
}
