// Fuzzes what a zone transfer request goes through: TSIG verification (RFC 8945 §5.2) with
// the fixed key, the AXFR/IXFR request parse and classification, and the transfer stream
// itself over the fixed zones, checked message by message.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "tests/fuzz/fuzz_check.hpp"
#include "tests/fuzz/fuzz_zones.hpp"
#include "zones/message_decoder.hpp"
#include "zones/responder.hpp"
#include "zones/transfer_request.hpp"
#include "zones/tsig_record.hpp"
#include "zones/tsig_signer.hpp"
#include "zones/tsig_verifier.hpp"
#include "zones/zone_transfer.hpp"

namespace {

using namespace apex;

TsigVerdict check_verdict(std::span<const std::uint8_t> request) {
  const TsigVerdict verdict = verify_request(request, fuzz::fixed_keyring(), fuzz::kFuzzNow);
  auto located = locate_tsig(request);
  if (verdict.status == TsigStatus::kUnsigned) FUZZ_CHECK(located.ok() && !located->has_value());
  if (verdict.valid()) {
    FUZZ_CHECK(verdict.key == &*fuzz::fixed_keyring().find(fuzz::fixed_key().name));
    FUZZ_CHECK(verdict.tsig.has_value());
    FUZZ_CHECK(located.ok() && located->has_value());
    FUZZ_CHECK(verdict.tsig_offset == (*located)->offset);
    FUZZ_CHECK(verdict.tsig_offset >= kHeaderSize && verdict.tsig_offset < request.size());
  }
  // The same octets as a response to a request with an empty MAC, through both verifiers.
  const TsigVerdict single = verify_response(request, fuzz::fixed_key(), {}, fuzz::kFuzzNow);
  TsigResponseVerifier stream(fuzz::fixed_key(), {});
  FUZZ_CHECK(stream.verify(request, fuzz::kFuzzNow).status == single.status);
  return verdict;
}

// Every message of the stream fits out, decodes, and echoes the question; the stream ends.
// For a verified request, every message is signed as the stream goes and verifies in order
// (RFC 8945 §5.3.1, §5.4).
void check_stream(ZoneTransfer& transfer, const Query& query, const TsigVerdict& verdict) {
  static std::vector<std::uint8_t> out(kMaxMessageSize);
  // Room for the TSIG, as the server's transfer session leaves it.
  const std::span<std::uint8_t> body = std::span<std::uint8_t>(out).first(kMaxMessageSize - 512);
  std::optional<TsigSigner> signer;
  std::optional<TsigResponseVerifier> verifier;
  if (verdict.valid()) {
    signer.emplace(*verdict.key, verdict.tsig->mac);
    verifier.emplace(*verdict.key, verdict.tsig->mac);
  }
  for (int messages = 0;; ++messages) {
    FUZZ_CHECK(messages < 10'000);
    std::size_t n = transfer.next(body);
    if (n == 0) break;
    FUZZ_CHECK(n <= body.size());
    if (signer) {
      n = signer->sign(out, n, fuzz::kFuzzNow);
      FUZZ_CHECK(n != 0);
      FUZZ_CHECK(
          verifier->verify(std::span<const std::uint8_t>(out).first(n), fuzz::kFuzzNow).valid());
    }
    auto decoded = decode_message(std::span<const std::uint8_t>(out).first(n));
    FUZZ_CHECK(decoded.ok());
    FUZZ_CHECK(decoded->id == query.id);
    if (messages == 0) {
      FUZZ_CHECK(decoded->questions.size() == 1);
      FUZZ_CHECK(decoded->questions[0].qname.wire_view() == query.question.name());
    }
  }
  FUZZ_CHECK(transfer.finished());
}

void check_transfer(const ZoneIndex& index, const AliasTablePtr& aliases, const Query& query,
                    const TsigVerdict& verdict) {
  if (!is_transfer_query(query)) return;
  const TransferRequest request = TransferRequest::of(query);
  FUZZ_CHECK(request.id == query.id);
  const TransferDecision decision = classify_transfer(index, query);
  if (decision.rcode != Rcode::NoError) {
    FUZZ_CHECK(decision.zone == nullptr);
    return;
  }
  FUZZ_CHECK(decision.zone != nullptr);
  ZoneTransfer transfer(decision.zone, aliases, request);
  check_stream(transfer, query, verdict);
  if (query.question.qtype == RRType::IXFR) {
    std::vector<std::uint8_t> datagram(kClassicUdpSize);
    std::size_t n = ixfr_datagram(decision.zone, nullptr, request, datagram);
    FUZZ_CHECK(n >= kHeaderSize && n <= datagram.size());
    FUZZ_CHECK(decode_message(std::span<const std::uint8_t>(datagram).first(n)).ok());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ZoneIndexPtr index = fuzz::fixed_index();
  static const AliasTablePtr aliases = fuzz::fixed_aliases();
  const std::span<const std::uint8_t> request(data, size);
  const TsigVerdict verdict = check_verdict(request);
  Query query;
  ParseOutcome outcome = parse_query(request, query);
  if (outcome == ParseOutcome::kQuery || outcome == ParseOutcome::kSigned)
    check_transfer(*index, aliases, query, verdict);
  return 0;
}
