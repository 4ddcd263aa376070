// Maps parse outcomes to responses (DESIGN §3.4): drop, FORMERR, NOTIMP, BADVERS or an answer.
#include "zones/responder.hpp"

#include <algorithm>

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
                               std::span<std::uint8_t> out) {
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
    case ParseOutcome::kNotAuth:
      answer_.rcode = Rcode::NotAuth;  // RFC 8945 §5.2.2: unknown key
      break;
    case ParseOutcome::kBadVers:
      answer_.rcode = Rcode::BadVers;  // RFC 6891 §6.1.3, signalled through the OPT record
      break;
    case ParseOutcome::kQuery:
      answer_query(index, aliases, query_, transport, answer_);
      if (answer_.stale_alias) bump(counters_.stale_alias_answers);
      break;
  }
  bump(counters_.responses);
  return encoder_.encode(query_, answer_, max_udp_payload_, out, size_limit(transport));
}

}  // namespace apex
