// Specification of the JSON reader apexctl reads apexd's control replies with: RFC 8259
// values, members in document order, and errors (never exceptions) for anything else.
#include "admin/json_value.hpp"

#include <string>

#include <doctest/doctest.h>

using namespace apex::admin;

TEST_CASE("an object with every kind of value") {
  auto v = JsonValue::parse(
      R"( {"ok": true, "n": -12, "x": 1.5e3, "s": "a\"b\\c\n\u00e9", "none": null,
           "list": [1, "two", false], "inner": {"k": "v"}} )");
  REQUIRE(v);
  CHECK(v->kind() == JsonValue::Kind::kObject);
  CHECK((*v)["ok"].truthy());
  CHECK((*v)["n"].integer() == -12);
  CHECK((*v)["x"].kind() == JsonValue::Kind::kNumber);
  CHECK_FALSE((*v)["x"].integer());
  CHECK((*v)["x"].text() == "1.5e3");
  CHECK((*v)["s"].text() == "a\"b\\c\n\xc3\xa9");
  CHECK((*v)["none"].is_null());
  REQUIRE((*v)["list"].elements().size() == 3);
  CHECK((*v)["list"].elements()[1].text() == "two");
  CHECK_FALSE((*v)["list"].elements()[2].truthy());
  CHECK((*v)["inner"]["k"].text() == "v");
  CHECK((*v)["absent"].is_null());
  CHECK((*v)["absent"]["deeper"].is_null());
  REQUIRE(v->members().size() == 7);
  CHECK(v->members()[0].first == "ok");
  CHECK(v->members()[6].first == "inner");
}

TEST_CASE("empty containers") {
  auto v = JsonValue::parse("{\"a\": [], \"b\": {}}");
  REQUIRE(v);
  CHECK((*v)["a"].elements().empty());
  CHECK((*v)["b"].members().empty());
}

TEST_CASE("malformed text is an error saying where") {
  for (const char* bad : {"", "{", "{\"a\" 1}", "{\"a\": }", "[1 2]", "{\"a\": tru}",
                          "\"unterminated", "{\"a\": 1} trailing", "\"\\x\"", "\"\\u12\"", "{a: 1}",
                          "\"tab\there\"", "-", "1.2.3", "[,]"}) {
    auto v = JsonValue::parse(bad);
    CHECK_MESSAGE(!v, bad);
    if (!v) CHECK(v.error().starts_with("invalid JSON at offset "));
  }
}

TEST_CASE("nesting is bounded") {
  CHECK(JsonValue::parse(std::string(32, '[') + std::string(32, ']')));
  auto deep = JsonValue::parse(std::string(100000, '['));
  REQUIRE_FALSE(deep);
  CHECK(deep.error().find("nested too deeply") != std::string::npos);
}
