// Specification of the stub query (RD=1, EDNS(0) 1232) and of RFC 5452 §9.1 response matching.
#include <doctest/doctest.h>

#include "flatten/upstream_query.hpp"

using namespace apex;
using namespace apex::flatten;

namespace {

UpstreamQuery query() {
  return UpstreamQuery{0x4A2F, *Name::from_text("Target.Example."), RRType::AAAA};
}

DecodedMessage response_to(const UpstreamQuery& q) {
  DecodedMessage m;
  m.id = q.id;
  m.flags = kFlagQR | kFlagRD;
  m.questions.push_back({*Name::from_text("target.example."), q.qtype, RRClass::IN});
  return m;
}

}  // namespace

TEST_CASE("the query: our ID, RD=1, one question in class IN, OPT with payload 1232 and DO=0") {
  auto m = decode_message(query().wire());
  REQUIRE_MESSAGE(m.ok(), m.error());
  CHECK(m->id == 0x4A2F);
  CHECK(m->flags == kFlagRD);
  REQUIRE(m->questions.size() == 1);
  CHECK(m->questions[0].qname.to_text() == "Target.Example.");
  CHECK(m->questions[0].qtype == RRType::AAAA);
  CHECK(m->questions[0].qclass == RRClass::IN);
  CHECK(m->answer.empty());
  CHECK(m->authority.empty());
  CHECK(m->additional.empty());
  REQUIRE(m->opt.has_value());
  CHECK(m->opt->udp_payload == kUpstreamUdpPayload);
  CHECK(m->opt->version == 0);
  CHECK_FALSE(m->opt->dnssec_ok);
}

TEST_CASE("a response answers the query only with its ID, QR=1, opcode QUERY and question") {
  const UpstreamQuery q = query();
  DecodedMessage m = response_to(q);
  CHECK(q.is_answered_by(m));  // the name matches case-insensitively

  SUBCASE("another ID") {
    m.id ^= 0x0100;
    CHECK_FALSE(q.is_answered_by(m));
  }
  SUBCASE("QR=0") {
    m.flags = kFlagRD;
    CHECK_FALSE(q.is_answered_by(m));
  }
  SUBCASE("another opcode") {
    m.flags |= 2u << kOpcodeShift;
    CHECK_FALSE(q.is_answered_by(m));
  }
  SUBCASE("another name") {
    m.questions[0].qname = *Name::from_text("target.example.net.");
    CHECK_FALSE(q.is_answered_by(m));
  }
  SUBCASE("another type") {
    m.questions[0].qtype = RRType::A;
    CHECK_FALSE(q.is_answered_by(m));
  }
  SUBCASE("another class") {
    m.questions[0].qclass = RRClass::CH;
    CHECK_FALSE(q.is_answered_by(m));
  }
  SUBCASE("no question, or two") {
    auto two = m;
    two.questions.push_back(two.questions[0]);
    m.questions.clear();
    CHECK_FALSE(q.is_answered_by(m));
    CHECK_FALSE(q.is_answered_by(two));
  }
}
