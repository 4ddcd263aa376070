// Request-line parsing (RFC 9112 §3): method SP request-target SP HTTP-version.
#include "server/http_request.hpp"

namespace apex::server {
namespace {

// RFC 9110 §5.6.2 tchar.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!is_token_char(c)) return false;
  return true;
}

bool is_version(std::string_view text) {
  return text.size() == 8 && text.substr(0, 5) == "HTTP/" && text[5] >= '0' && text[5] <= '9' &&
         text[6] == '.' && text[7] >= '0' && text[7] <= '9';
}

// Where the head ends (just past its empty line), or npos.
std::size_t head_end(std::string_view received) {
  for (std::size_t i = 0; i < received.size(); ++i) {
    if (received[i] != '\n') continue;
    std::size_t next = i + 1;
    if (next < received.size() && received[next] == '\r') ++next;
    if (next < received.size() && received[next] == '\n') return next + 1;
  }
  return std::string_view::npos;
}

HttpVerdict verdict(HttpVerdict::Kind kind) {
  HttpVerdict v;
  v.kind = kind;
  return v;
}

}  // namespace

HttpVerdict judge_http_request(std::string_view received) {
  const std::size_t end = head_end(received.substr(0, kMaxHttpRequestHead));
  if (end == std::string_view::npos)
    return verdict(received.size() >= kMaxHttpRequestHead ? HttpVerdict::kBadRequest
                                                          : HttpVerdict::kIncomplete);
  std::string_view line = received.substr(0, received.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return verdict(HttpVerdict::kBadRequest);
  const std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty() || target.front() != '/' || !is_version(version))
    return verdict(HttpVerdict::kBadRequest);
  for (char c : target)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F) return verdict(HttpVerdict::kBadRequest);
  target = target.substr(0, target.find('?'));
  HttpVerdict v = verdict(HttpVerdict::kRoute);
  if (target == "/metrics")
    v.target = HttpTarget::kMetrics;
  else if (target == "/healthz")
    v.target = HttpTarget::kHealthz;
  else if (target == "/readyz")
    v.target = HttpTarget::kReadyz;
  else
    return verdict(HttpVerdict::kNotFound);
  if (method != "GET") return verdict(HttpVerdict::kMethodNotAllowed);
  return v;
}

}  // namespace apex::server
