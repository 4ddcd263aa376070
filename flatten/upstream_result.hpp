// What one upstream resolution came to: an answer, a negative answer (RFC 2308) or the reason
// none was had, with the resolver that gave it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "zones/record.hpp"

namespace apex::flatten {

enum class UpstreamStatus {
  kAnswer,        // NOERROR with records of the qtype or a CNAME for the qname
  kNxDomain,      // the name does not exist (RFC 2308 §2.1)
  kNoData,        // the name exists without records of the qtype (RFC 2308 §2.2)
  kServFail,      // the resolver failed (SERVFAIL, or an RCODE a resolver should not send)
  kRefused,       // the resolver refused us
  kTimeout,       // no genuine response within the per-try time-out
  kNetworkError,  // a socket could not be opened, bound, written or read
  kMalformed,     // a genuine response that could not be decoded
};

std::string_view to_text(UpstreamStatus status);

// Whether the status settles the question, so trying another resolver would be pointless.
constexpr bool is_definitive(UpstreamStatus status) {
  return status == UpstreamStatus::kAnswer || status == UpstreamStatus::kNxDomain ||
         status == UpstreamStatus::kNoData;
}

struct UpstreamResult {
  UpstreamStatus status = UpstreamStatus::kNetworkError;
  std::vector<Record> answer;  // the answer section as received (CNAMEs included)
  // RFC 2308 §5: min(SOA TTL, SOA MINIMUM) of the SOA in the authority section, when present.
  std::optional<std::uint32_t> negative_ttl;
  std::string detail;                       // human-readable: which resolver said or did what
  boost::asio::ip::udp::endpoint resolver;  // the one that gave this result
};

}  // namespace apex::flatten
