// The little of HTTP/1.1 (RFC 9112) the metrics listener needs: the request line of a request
// whose head has arrived, judged into the response to give. Untrusted octets never throw.
#pragma once

#include <cstddef>
#include <string_view>

namespace apex::server {

// Longest request head accepted (request line and header fields).
inline constexpr std::size_t kMaxHttpRequestHead = 8192;

enum class HttpTarget { kMetrics, kHealthz, kReadyz };

struct HttpVerdict {
  enum Kind {
    kIncomplete,        // the head has not ended yet: read more
    kRoute,             // GET of a known path: target says which
    kBadRequest,        // 400: no valid request line, or a head over kMaxHttpRequestHead
    kNotFound,          // 404
    kMethodNotAllowed,  // 405 (RFC 9110 §15.5.6)
  } kind = kIncomplete;
  HttpTarget target = HttpTarget::kMetrics;
};

// Judges the octets received so far on a connection. The head ends at the first empty line
// (CRLF CRLF, or LF LF as RFC 9112 §2.2 lets a recipient accept). A query string is ignored.
HttpVerdict judge_http_request(std::string_view received);

}  // namespace apex::server
