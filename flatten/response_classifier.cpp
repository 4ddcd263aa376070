// Classifies resolver responses (RFC 1035 §4.1.1 RCODEs; RFC 2308 §2 NXDOMAIN/NODATA, §5 TTL).
#include "flatten/response_classifier.hpp"

#include <algorithm>
#include <string>

namespace apex::flatten {
namespace {

constexpr std::size_t kSoaCountersSize = 20;  // serial, refresh, retry, expire, minimum

std::uint32_t soa_minimum(const Record& soa) {
  const auto& r = soa.rdata;  // canonical: two uncompressed names, then the counters
  const std::size_t at = r.size() - 4;
  return static_cast<std::uint32_t>(r[at]) << 24 | static_cast<std::uint32_t>(r[at + 1]) << 16 |
         static_cast<std::uint32_t>(r[at + 2]) << 8 | r[at + 3];
}

bool has_answer_for(const std::vector<Record>& answer, RRType qtype) {
  return std::any_of(answer.begin(), answer.end(), [&](const Record& rr) {
    return rr.rrclass == RRClass::IN && (rr.type == qtype || rr.type == RRType::CNAME);
  });
}

UpstreamStatus status_for_noerror(const DecodedMessage& response, RRType qtype) {
  return has_answer_for(response.answer, qtype) ? UpstreamStatus::kAnswer : UpstreamStatus::kNoData;
}

UpstreamStatus status_for(const DecodedMessage& response, RRType qtype) {
  switch (response.rcode()) {
    case Rcode::NoError:
      return status_for_noerror(response, qtype);
    case Rcode::NXDomain:
      return UpstreamStatus::kNxDomain;
    case Rcode::Refused:
      return UpstreamStatus::kRefused;
    default:
      return UpstreamStatus::kServFail;
  }
}

std::string describe(const DecodedMessage& response, UpstreamStatus status) {
  std::string text(to_text(status));
  if (status == UpstreamStatus::kServFail && response.rcode() != Rcode::ServFail)
    text += " (RCODE " + std::to_string(static_cast<unsigned>(response.rcode())) + ")";
  if (status == UpstreamStatus::kAnswer)
    text += " with " + std::to_string(response.answer.size()) + " record(s)";
  return text;
}

}  // namespace

std::optional<std::uint32_t> negative_ttl(std::span<const Record> authority) {
  for (const Record& rr : authority) {
    if (rr.type != RRType::SOA || rr.rdata.size() < kSoaCountersSize) continue;
    return std::min(rr.ttl, soa_minimum(rr));
  }
  return std::nullopt;
}

UpstreamResult classify_response(const DecodedMessage& response, RRType qtype) {
  UpstreamResult result;
  result.status = status_for(response, qtype);
  result.answer = response.answer;
  result.negative_ttl = negative_ttl(response.authority);
  result.detail = describe(response, result.status);
  return result;
}

}  // namespace apex::flatten
