// Specification of the JSON text writer (RFC 8259) behind apexctl --json and the control
// socket's replies.
#include <doctest/doctest.h>

#include "zones/json_text.hpp"

using namespace apex;

TEST_CASE("strings: quotes, backslashes and control characters escaped; UTF-8 kept") {
  CHECK(json_string("a\"b\\c\nd\te\x01") == "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  CHECK(json_string("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") ==
        "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  // Octets that are no UTF-8 (a lone continuation, an overlong form, a cut sequence, a
  // surrogate) become code points of their value, so the text stays valid JSON.
  CHECK(json_string("\x80") == "\"\\u0080\"");
  CHECK(json_string("\xC0\xAF") == "\"\\u00c0\\u00af\"");
  CHECK(json_string("\xE2\x82") == "\"\\u00e2\\u0082\"");
  CHECK(json_string("\xED\xA0\x80") == "\"\\u00ed\\u00a0\\u0080\"");
  CHECK(json_string("\x7F") == "\"\\u007f\"");
}

TEST_CASE("objects keep the order members were added; arrays on one line or one per line") {
  JsonObject inner;
  inner.add("n", 3).add("ok", true);
  CHECK(JsonObject().add("zone", "example.com.").merge(inner).str() ==
        "{\"zone\": \"example.com.\", \"n\": 3, \"ok\": true}");
  CHECK(json_array({"1", "2"}) == "[1, 2]");
  CHECK(json_array({"1", "2"}, true) == "[\n  1,\n  2\n]");
  CHECK(json_array({}, true) == "[]");
  CHECK(json_string_array({"a", "b"}) == "[\"a\", \"b\"]");
}
