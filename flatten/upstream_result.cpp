// Names of upstream resolution outcomes, for logs and status output.
#include "flatten/upstream_result.hpp"

namespace apex::flatten {

std::string_view to_text(UpstreamStatus status) {
  switch (status) {
    case UpstreamStatus::kAnswer:
      return "answer";
    case UpstreamStatus::kNxDomain:
      return "NXDOMAIN";
    case UpstreamStatus::kNoData:
      return "NODATA";
    case UpstreamStatus::kServFail:
      return "SERVFAIL";
    case UpstreamStatus::kRefused:
      return "REFUSED";
    case UpstreamStatus::kTimeout:
      return "time-out";
    case UpstreamStatus::kNetworkError:
      return "network error";
    case UpstreamStatus::kMalformed:
      return "malformed response";
  }
  return "unknown";
}

}  // namespace apex::flatten
