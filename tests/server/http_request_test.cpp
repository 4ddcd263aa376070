// Specification of the metrics listener's request judging: the request line decides the
// response; a head that never ends within 8 KiB, or is not HTTP, is a bad request.
#include "server/http_request.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace apex::server;

namespace {

HttpVerdict::Kind kind(std::string_view received) {
  return judge_http_request(received).kind;
}

}  // namespace

TEST_CASE("GET of the three paths routes to them; a query string is ignored") {
  auto metrics = judge_http_request("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(metrics.kind == HttpVerdict::kRoute);
  CHECK(metrics.target == HttpTarget::kMetrics);
  CHECK(judge_http_request("GET /healthz HTTP/1.0\r\n\r\n").target == HttpTarget::kHealthz);
  CHECK(judge_http_request("GET /readyz HTTP/1.1\r\n\r\n").target == HttpTarget::kReadyz);
  auto query = judge_http_request("GET /metrics?name[]=x HTTP/1.1\r\n\r\n");
  CHECK(query.kind == HttpVerdict::kRoute);
  CHECK(query.target == HttpTarget::kMetrics);
  // RFC 9112 §2.2: a bare LF may end lines.
  CHECK(kind("GET /readyz HTTP/1.1\nHost: x\n\n") == HttpVerdict::kRoute);
}

TEST_CASE("until the head's empty line arrives, more is read") {
  CHECK(kind("") == HttpVerdict::kIncomplete);
  CHECK(kind("GET /metr") == HttpVerdict::kIncomplete);
  CHECK(kind("GET /metrics HTTP/1.1\r\nHost: x\r\n") == HttpVerdict::kIncomplete);
}

TEST_CASE("other paths are not found; other methods on a known path are not allowed") {
  CHECK(kind("GET / HTTP/1.1\r\n\r\n") == HttpVerdict::kNotFound);
  CHECK(kind("GET /metrics/ HTTP/1.1\r\n\r\n") == HttpVerdict::kNotFound);
  CHECK(kind("GET /Metrics HTTP/1.1\r\n\r\n") == HttpVerdict::kNotFound);
  CHECK(kind("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n") ==
        HttpVerdict::kMethodNotAllowed);
  CHECK(kind("HEAD /healthz HTTP/1.1\r\n\r\n") == HttpVerdict::kMethodNotAllowed);
  CHECK(kind("get /metrics HTTP/1.1\r\n\r\n") == HttpVerdict::kMethodNotAllowed);  // case matters
}

TEST_CASE("a malformed request line is a bad request") {
  CHECK(kind("\r\n\r\n") == HttpVerdict::kBadRequest);
  CHECK(kind("GET\r\n\r\n") == HttpVerdict::kBadRequest);
  CHECK(kind("GET /metrics\r\n\r\n") == HttpVerdict::kBadRequest);
  CHECK(kind("GET /metrics HTTP/1.1 extra\r\n\r\n") == HttpVerdict::kBadRequest);
  CHECK(kind("GET  /metrics HTTP/1.1\r\n\r\n") == HttpVerdict::kBadRequest);
  CHECK(kind("GET metrics HTTP/1.1\r\n\r\n") == HttpVerdict::kBadRequest);
  CHECK(kind("GET /metrics FTP/1.1\r\n\r\n") == HttpVerdict::kBadRequest);
  CHECK(kind("G(T /metrics HTTP/1.1\r\n\r\n") == HttpVerdict::kBadRequest);
  CHECK(kind(std::string("GET /a\x01 HTTP/1.1\r\n\r\n")) == HttpVerdict::kBadRequest);
  CHECK(kind(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n\n", 13)) ==
        HttpVerdict::kBadRequest);  // a TLS ClientHello
}

TEST_CASE("a head over 8 KiB is a bad request, whether or not it would end later") {
  std::string big = "GET /metrics HTTP/1.1\r\nX-Filler: " + std::string(kMaxHttpRequestHead, 'a');
  CHECK(kind(big) == HttpVerdict::kBadRequest);
  CHECK(kind(big + "\r\n\r\n") == HttpVerdict::kBadRequest);
  std::string fits = "GET /metrics HTTP/1.1\r\nX: ";
  fits += std::string(kMaxHttpRequestHead - fits.size() - 4, 'a') + "\r\n\r\n";
  REQUIRE(fits.size() == kMaxHttpRequestHead);
  CHECK(kind(fits) == HttpVerdict::kRoute);
  CHECK(kind(fits.substr(0, kMaxHttpRequestHead - 1)) == HttpVerdict::kIncomplete);
}
