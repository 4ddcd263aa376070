// Specification of the kind and imputed name of answers, what response rate limiting in the
// server accounts responses by: the name asked, the wildcard owner for synthesized answers
// (RFC 4592), the delegation point for referrals, the zone apex for NODATA and NXDOMAIN.
#include <string>

#include "tests/zones/answer_fixture.hpp"
#include "zones/answer.hpp"
#include "zones/responder.hpp"

using namespace apex;
using namespace apex::test;

namespace {

const char* kZone = R"(
$TTL 3600
@        IN SOA ns1 hostmaster 1 7200 3600 1209600 300
         IN NS  ns1
ns1      IN A   192.0.2.1
www      IN CNAME web
web      IN A   192.0.2.3
*.wild   IN A   192.0.2.9
*.cn     IN CNAME web
sub      IN NS  ns1.sub
ns1.sub  IN A   192.0.2.53
)";

struct Fixture {
  ZoneIndexPtr index = ZoneIndex::from_zones({zone_from_text("example.com.", kZone)});
  AliasTable aliases;
  Answer out;
  Query query;

  void ask(const std::string& name, RRType type) {
    query = make_query(name, type);
    answer_query(*index, aliases, query, Transport::kUdp, out);
  }
  std::string imputed() const {
    auto name = Name::from_wire(
        {reinterpret_cast<const std::uint8_t*>(out.imputed_name.data()), out.imputed_name.size()});
    return name.ok() ? name->to_text() : "(none)";
  }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "a positive answer is imputed to the name asked") {
  ask("Web.Example.com.", RRType::A);
  CHECK(out.kind == AnswerKind::kPositive);
  CHECK(imputed() == "Web.Example.com.");
  ask("www.example.com.", RRType::A);  // a CNAME chain: still the name asked
  CHECK(out.kind == AnswerKind::kPositive);
  CHECK(imputed() == "www.example.com.");
}

TEST_CASE_FIXTURE(Fixture, "a synthesized answer is imputed to the wildcard, whatever was asked") {
  ask("random-1.wild.example.com.", RRType::A);
  CHECK(out.kind == AnswerKind::kPositive);
  CHECK(imputed() == "*.wild.example.com.");
  ask("other.cn.example.com.", RRType::A);  // a wildcard CNAME followed in the zone
  CHECK(out.kind == AnswerKind::kPositive);
  CHECK(imputed() == "*.cn.example.com.");
}

TEST_CASE_FIXTURE(Fixture, "NXDOMAIN and NODATA are imputed to the zone apex") {
  ask("no-such-name-17.example.com.", RRType::A);
  CHECK(out.kind == AnswerKind::kNxDomain);
  CHECK(imputed() == "example.com.");
  ask("web.example.com.", RRType::MX);
  CHECK(out.kind == AnswerKind::kNoData);
  CHECK(imputed() == "example.com.");
  ask("x.wild.example.com.", RRType::TXT);  // NODATA from a wildcard
  CHECK(out.kind == AnswerKind::kNoData);
  CHECK(imputed() == "example.com.");
}

TEST_CASE_FIXTURE(Fixture, "a referral is imputed to the delegation point") {
  ask("host.deep.sub.example.com.", RRType::A);
  CHECK(out.kind == AnswerKind::kReferral);
  CHECK(imputed() == "sub.example.com.");
}

TEST_CASE_FIXTURE(Fixture, "REFUSED for a name outside the zones is an error without a name") {
  ask("www.example.org.", RRType::A);
  CHECK(out.kind == AnswerKind::kError);
  CHECK(out.imputed_name.empty());
}

TEST_CASE_FIXTURE(Fixture, "the responder tells what it answered last") {
  Responder responder;
  std::vector<std::uint8_t> out_wire(kMaxMessageSize);
  std::vector<std::uint8_t> request{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  auto name = Name::from_text("nope.example.com.");
  request.insert(request.end(), name->wire().begin(), name->wire().end());
  request.insert(request.end(), {0, 28, 0, 1});
  REQUIRE(responder.respond(*index, aliases, request, Transport::kUdp, out_wire) > 0);
  CHECK(responder.last_response().kind == AnswerKind::kNxDomain);
  CHECK(responder.last_response().qtype == RRType::AAAA);
  CHECK(responder.last_response().imputed_name.size() == name->wire().size() - 5);
  const std::vector<std::uint8_t> garbage{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 63};
  REQUIRE(responder.respond(*index, aliases, garbage, Transport::kUdp, out_wire) > 0);
  CHECK(responder.last_response().kind == AnswerKind::kError);  // FORMERR
}
