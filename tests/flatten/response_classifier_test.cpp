// Specification of response classification: answer, NXDOMAIN, NODATA with the RFC 2308 §5
// negative TTL, and resolver failures by RCODE.
#include <doctest/doctest.h>

#include "flatten/response_classifier.hpp"

using namespace apex;
using namespace apex::flatten;

namespace {

Name name(const char* text) {
  return *Name::from_text(text);
}

Record a_record(const char* owner) {
  return Record{name(owner), RRType::A, RRClass::IN, 300, {192, 0, 2, 1}};
}

Record soa_record(std::uint32_t ttl, std::uint32_t minimum) {
  Record r{name("example."), RRType::SOA, RRClass::IN, ttl, {}};
  for (const char* n : {"ns.example.", "hostmaster.example."}) {
    const Name owned = name(n);  // wire() views into the Name, which must outlive it
    r.rdata.insert(r.rdata.end(), owned.wire().begin(), owned.wire().end());
  }
  for (std::uint32_t v : {1u, 2u, 3u, 4u, minimum})
    for (int shift = 24; shift >= 0; shift -= 8)
      r.rdata.push_back(static_cast<std::uint8_t>(v >> shift));
  return r;
}

DecodedMessage response(std::uint16_t rcode) {
  DecodedMessage m;
  m.flags = static_cast<std::uint16_t>(kFlagQR | rcode);
  m.questions.push_back({name("www.example."), RRType::A, RRClass::IN});
  return m;
}

}  // namespace

TEST_CASE("NOERROR with records of the type is an answer, the section kept whole") {
  DecodedMessage m = response(0);
  m.answer.push_back(a_record("www.example."));
  UpstreamResult r = classify_response(m, RRType::A);
  CHECK(r.status == UpstreamStatus::kAnswer);
  CHECK(r.answer == m.answer);
}

TEST_CASE("NOERROR with only a CNAME is an answer: the caller follows the chain") {
  DecodedMessage m = response(0);
  m.answer.push_back(
      Record{name("www.example."), RRType::CNAME, RRClass::IN, 60, {4, 'n', 'e', 'x', 't', 0}});
  CHECK(classify_response(m, RRType::A).status == UpstreamStatus::kAnswer);
}

TEST_CASE("NOERROR without the type or a CNAME is NODATA, with the negative TTL") {
  DecodedMessage m = response(0);
  m.answer.push_back(a_record("www.example."));  // an A is no answer to AAAA
  m.authority.push_back(soa_record(900, 120));
  UpstreamResult r = classify_response(m, RRType::AAAA);
  CHECK(r.status == UpstreamStatus::kNoData);
  CHECK(r.negative_ttl == std::optional<std::uint32_t>(120));
}

TEST_CASE("NXDOMAIN: the negative TTL is min(SOA TTL, SOA MINIMUM) (RFC 2308 §5)") {
  DecodedMessage m = response(3);
  m.authority.push_back(soa_record(45, 3600));
  UpstreamResult r = classify_response(m, RRType::A);
  CHECK(r.status == UpstreamStatus::kNxDomain);
  CHECK(r.negative_ttl == std::optional<std::uint32_t>(45));
}

TEST_CASE("no SOA, no negative TTL") {
  CHECK_FALSE(classify_response(response(3), RRType::A).negative_ttl.has_value());
  CHECK_FALSE(negative_ttl({}).has_value());
}

TEST_CASE("failures by RCODE") {
  CHECK(classify_response(response(2), RRType::A).status == UpstreamStatus::kServFail);
  CHECK(classify_response(response(5), RRType::A).status == UpstreamStatus::kRefused);
  UpstreamResult formerr = classify_response(response(1), RRType::A);
  CHECK(formerr.status == UpstreamStatus::kServFail);
  CHECK(formerr.detail == "SERVFAIL (RCODE 1)");
  DecodedMessage badvers = response(0);
  badvers.opt = DecodedOpt{1232, 1, 0, false, {}};  // extended RCODE 16
  CHECK(classify_response(badvers, RRType::A).status == UpstreamStatus::kServFail);
}
