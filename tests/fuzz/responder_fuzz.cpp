// Fuzzes query parsing and answering: any octets through Responder::respond over the fixed
// zones (ALIAS included), over UDP and TCP, with the fixed TSIG key held.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tests/fuzz/fuzz_check.hpp"
#include "tests/fuzz/fuzz_zones.hpp"
#include "zones/message_decoder.hpp"
#include "zones/responder.hpp"
#include "zones/tsig_verifier.hpp"

namespace {

using namespace apex;

std::uint16_t u16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}

// The most a response may take (RFC 1035 §4.2.1, RFC 6891 §6.2.5), computed apart from
// Responder: a FORMERR answer drops the OPT, so it falls back to 512 octets over UDP.
std::size_t udp_limit(ParseOutcome outcome, const Query& query, std::uint16_t max_payload) {
  if (outcome == ParseOutcome::kFormErr || !query.edns.present) return kClassicUdpSize;
  return std::clamp<std::size_t>(query.edns.udp_payload, kClassicUdpSize, max_payload);
}

void check_response(std::span<const std::uint8_t> request, ParseOutcome outcome, const Query& query,
                    Transport transport, std::span<const std::uint8_t> out, std::size_t n) {
  if (outcome == ParseOutcome::kDrop) {
    FUZZ_CHECK(n == 0);  // no header, or a response: never answered
    return;
  }
  FUZZ_CHECK(n >= kHeaderSize);
  FUZZ_CHECK(n <= out.size());
  if (transport == Transport::kUdp)
    FUZZ_CHECK(n <= udp_limit(outcome, query, kDefaultMaxUdpPayload));
  FUZZ_CHECK(u16(out, 0) == u16(request, 0));  // ID echoed (RFC 1035 §4.1.1)
  FUZZ_CHECK((u16(out, 2) & kFlagQR) != 0);
  // Every answer is a well-formed message whose question is the one asked.
  auto decoded = decode_message(out.first(n));
  FUZZ_CHECK(decoded.ok());
  FUZZ_CHECK(decoded->questions.size() <= 1);
  if (outcome == ParseOutcome::kQuery && query.has_question) {
    FUZZ_CHECK(decoded->questions.size() == 1);
    const DecodedQuestion& q = decoded->questions[0];
    FUZZ_CHECK(q.qname.wire_view() == query.question.name());  // case kept
    FUZZ_CHECK(q.qtype == query.question.qtype);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ZoneIndexPtr index = fuzz::fixed_index();
  static const AliasTablePtr aliases = fuzz::fixed_aliases();
  static Responder responder;
  static std::vector<std::uint8_t> out(kMaxMessageSize);
  const std::span<const std::uint8_t> request(data, size);

  Query query;
  const ParseOutcome outcome = parse_query(request, query);
  const TsigVerdict verdict = outcome == ParseOutcome::kSigned
                                  ? verify_request(request, fuzz::fixed_keyring(), fuzz::kFuzzNow)
                                  : TsigVerdict{};
  for (Transport transport : {Transport::kUdp, Transport::kTcp}) {
    std::size_t n = responder.respond(*index, *aliases, request, transport, out,
                                      fuzz::fixed_keyring(), fuzz::kFuzzNow);
    check_response(request, outcome, query, transport, out, n);
    // The answer to a verified request is signed so that the client verifies it (RFC 8945
    // §5.3, §5.4).
    if (verdict.valid())
      FUZZ_CHECK(verify_response(std::span<const std::uint8_t>(out).first(n), *verdict.key,
                                 verdict.tsig->mac, fuzz::kFuzzNow)
                     .valid());
  }
  return 0;
}
