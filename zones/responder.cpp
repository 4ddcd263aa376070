// Maps parse outcomes to responses (ARCHITECTURE.md §3.4): drop, FORMERR, NOTIMP, BADVERS or an
// answer.
#include "zones/responder.hpp"

#include <algorithm>

#include "zones/tsig_signer.hpp"
#include "zones/tsig_verifier.hpp"

namespace apex {

std::size_t Responder::size_limit(Transport transport) const {
  if (transport == Transport::kTcp) return kMaxMessageSize;
  // RFC 6891 §6.2.5: the smaller of the requestor's payload size and ours, at least 512.
  if (!query_.edns.present) return kClassicUdpSize;
  return std::clamp<std::size_t>(query_.edns.udp_payload, kClassicUdpSize, max_udp_payload_);
}

namespace {

// Only this responder's thread writes: a plain load and store, no locked read-modify-write.
void bump(std::atomic<std::uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace

std::size_t Responder::respond(const ZoneIndex& index, const AliasTable& aliases,
                               std::span<const std::uint8_t> request, Transport transport,
                               std::span<std::uint8_t> out, const TsigKeyring& keys,
                               std::uint64_t now) {
  ParseOutcome outcome = parse_query(request, query_);
  answer_.clear();
  switch (outcome) {
    case ParseOutcome::kDrop:
      bump(counters_.dropped);
      return 0;
    case ParseOutcome::kFormErr:
      answer_.rcode = Rcode::FormErr;
      query_.edns.present = false;  // the OPT itself may be what was malformed
      break;
    case ParseOutcome::kNotImp:
      answer_.rcode = Rcode::NotImp;
      break;
    case ParseOutcome::kSigned:
      return respond_signed(index, aliases, request, transport, out, keys, now);
    case ParseOutcome::kBadVers:
      answer_.rcode = Rcode::BadVers;  // RFC 6891 §6.1.3, signalled through the OPT record
      break;
    case ParseOutcome::kQuery:
      answer(index, aliases, transport);
      break;
  }
  bump(counters_.responses);
  if (query_.edns.nsid) answer_.nsid = identity_.nsid();  // RFC 5001 §2.2
  return encoder_.encode(query_, answer_, max_udp_payload_, out, size_limit(transport));
}

void Responder::answer(const ZoneIndex& index, const AliasTable& aliases, Transport transport) {
  if (query_.question.qclass == RRClass::CH) {
    identity_.answer_chaos(query_, answer_);
    if (answer_.rcode == Rcode::NoError) {
      answer_.kind = AnswerKind::kPositive;
      answer_.imputed_name = query_.question.name();
    }
    return;
  }
  answer_query(index, aliases, query_, transport, answer_);
  if (answer_.stale_alias) bump(counters_.stale_alias_answers);
}

// RFC 8945 §5.2: verified, the query is answered as usual and the answer signed with the
// request's key (§5.3), within the transport's limit less the room the TSIG takes; otherwise
// the answer is NOTAUTH (or FORMERR) with the TSIG error §5.3.2 calls for.
std::size_t Responder::respond_signed(const ZoneIndex& index, const AliasTable& aliases,
                                      std::span<const std::uint8_t> request, Transport transport,
                                      std::span<std::uint8_t> out, const TsigKeyring& keys,
                                      std::uint64_t now) {
  const TsigVerdict verdict = verify_request(request, keys, now);
  if (verdict.valid()) {
    answer(index, aliases, transport);
  } else {
    answer_.rcode = verdict.status == TsigStatus::kError ? verdict.rcode : Rcode::FormErr;
  }
  bump(counters_.responses);
  if (query_.edns.nsid) answer_.nsid = identity_.nsid();
  const std::size_t room = answer_tsig_room(verdict);
  const std::size_t limit = size_limit(transport);
  std::size_t n = encoder_.encode(query_, answer_, max_udp_payload_, out,
                                  limit > room + kHeaderSize ? limit - room : kHeaderSize);
  const std::size_t signed_length = sign_answer(out, n, verdict, now);
  return signed_length != 0 ? signed_length : n;
}

}  // namespace apex
