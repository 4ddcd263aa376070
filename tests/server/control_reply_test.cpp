// Specification of control socket replies: one JSON object on one line, "ok" first, and
// valid JSON whatever octets an error message quotes.
#include "server/control_reply.hpp"

#include <doctest/doctest.h>

using namespace apex;
using namespace apex::server;

TEST_CASE("a successful reply carries ok and the command's members in order") {
  JsonObject body;
  body.add("zone", "example.com.").add("serial", 7u).add("behind", false);
  CHECK(control_ok(body) ==
        "{\"ok\": true, \"zone\": \"example.com.\", \"serial\": 7, \"behind\": false}\n");
  CHECK(control_ok(JsonObject()) == "{\"ok\": true}\n");
}

TEST_CASE("a failed reply carries ok false and the error") {
  CHECK(control_error("zone nope. is not served") ==
        "{\"ok\": false, \"error\": \"zone nope. is not served\"}\n");
}

TEST_CASE("strings are escaped so that the reply stays one line of valid JSON") {
  CHECK(json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_string("line\nnext\ttab") == "\"line\\nnext\\ttab\"");
  CHECK(json_string(std::string("\x01\x7f", 2)) == "\"\\u0001\\u007f\"");
  // Octets from a client need not be UTF-8: each is escaped as the code point of its value.
  CHECK(json_string("\xff\xc3") == "\"\\u00ff\\u00c3\"");
  CHECK(control_error("bad \xff").find('\n') == control_error("bad \xff").size() - 1);
}

TEST_CASE("nested objects, arrays and merged members") {
  JsonObject inner;
  inner.add("sent", 3).add("acknowledged", 2);
  JsonObject out;
  out.add_raw("notify", inner.str())
      .add_raw("listen", json_string_array({"127.0.0.1:53", "[::1]:53"}))
      .add_raw("none", json_array({}));
  JsonObject more;
  more.add("zones", 2);
  out.merge(more).merge(JsonObject());
  CHECK(out.str() ==
        "{\"notify\": {\"sent\": 3, \"acknowledged\": 2}, \"listen\": [\"127.0.0.1:53\", "
        "\"[::1]:53\"], \"none\": [], \"zones\": 2}");
}
