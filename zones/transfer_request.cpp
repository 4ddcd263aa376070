// Which transfer requests name a served zone (RFC 5936 §2.2.1), and their echoed fields.
#include "zones/transfer_request.hpp"

namespace apex {

bool is_transfer_query(const Query& query) {
  return query.has_question &&
         (query.question.qtype == RRType::AXFR || query.question.qtype == RRType::IXFR);
}

TransferRequest TransferRequest::of(const Query& query) {
  TransferRequest r;
  r.id = query.id;
  r.flags = query.flags;
  r.question = query.question;
  r.edns = query.edns.present;
  r.dnssec_ok = query.edns.dnssec_ok;
  r.has_client_serial = query.has_client_serial;
  r.client_serial = query.client_serial;
  return r;
}

TransferDecision classify_transfer(const ZoneIndex& index, const Query& query) {
  if (!is_transfer_query(query)) return {Rcode::Refused, nullptr};
  if (query.question.qclass != RRClass::IN) return {Rcode::NotAuth, nullptr};
  ZonePtr zone = index.share_exact(query.question.lower_name());
  if (!zone) return {Rcode::NotAuth, nullptr};
  return {Rcode::NoError, std::move(zone)};
}

}  // namespace apex
