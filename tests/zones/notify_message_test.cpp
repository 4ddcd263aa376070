// Specification of NOTIFY messages (RFC 1996 §3.7) and how their answers are recognised
// (§4.7).
#include "zones/notify_message.hpp"

#include <vector>

#include "tests/zones/answer_fixture.hpp"
#include "zones/message_decoder.hpp"

using namespace apex;
using namespace apex::test;

namespace {

ZonePtr example() {
  return zone_from_text("Example.COM.", R"(
$TTL 300
@   IN SOA ns1 hostmaster 2024060101 7200 3600 1209600 300
@   IN NS  ns1
ns1 IN A   192.0.2.1
)");
}

std::vector<std::uint8_t> reply_to(std::vector<std::uint8_t> notify, std::uint16_t flags_or) {
  notify[2] |= static_cast<std::uint8_t>(flags_or >> 8);
  notify[3] |= static_cast<std::uint8_t>(flags_or);
  return notify;
}

}  // namespace

TEST_CASE("a NOTIFY carries opcode 4, AA, the SOA question and the current SOA") {
  auto zone = example();
  std::vector<std::uint8_t> out(512);
  const std::size_t n = write_notify(out, 0x1234, *zone);
  REQUIRE(n > 0);
  out.resize(n);
  auto m = decode_message(out);
  REQUIRE_MESSAGE(m.ok(), m.error());
  CHECK(m->id == 0x1234);
  CHECK(m->opcode() == kOpcodeNotify);
  CHECK((m->flags & kFlagAA) != 0);
  CHECK_FALSE(m->is_response());
  REQUIRE(m->questions.size() == 1);
  CHECK(m->questions[0].qname == Name::from_text("example.com.").value());
  CHECK(m->questions[0].qtype == RRType::SOA);
  REQUIRE(m->answer.size() == 1);
  CHECK(m->answer[0].type == RRType::SOA);
  CHECK(m->answer[0].ttl == 300);
  CHECK(m->authority.empty());
  CHECK(m->additional.empty());
  CHECK(write_notify(std::span(out).first(20), 1, *zone) == 0);  // does not fit
}

TEST_CASE("only an answer with the same ID, QR, opcode and question acknowledges") {
  auto zone = example();
  std::vector<std::uint8_t> notify(512);
  notify.resize(write_notify(notify, 77, *zone));
  const Name apex = Name::from_text("example.com.").value();
  CHECK(classify_notify_reply(reply_to(notify, kFlagQR), 77, apex) == NotifyReply::kAcknowledged);
  CHECK(classify_notify_reply(notify, 77, apex) == NotifyReply::kNotAReply);  // no QR
  CHECK(classify_notify_reply(reply_to(notify, kFlagQR), 78, apex) == NotifyReply::kNotAReply);
  CHECK(classify_notify_reply(reply_to(notify, kFlagQR), 77,
                              Name::from_text("example.net.").value()) == NotifyReply::kNotAReply);
  CHECK(classify_notify_reply(reply_to(notify, kFlagQR | 5), 77, apex) == NotifyReply::kRefused);
  CHECK(classify_notify_reply(std::vector<std::uint8_t>{0, 77, 0x80}, 77, apex) ==
        NotifyReply::kNotAReply);  // truncated
}
