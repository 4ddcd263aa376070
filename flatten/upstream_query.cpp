// Builds the stub query (RFC 1035 §4.1.1, RFC 6891 §6.1.2) and matches responses to it
// (RFC 5452 §9.1).
#include "flatten/upstream_query.hpp"

#include "zones/message.hpp"

namespace apex::flatten {
namespace {

void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

}  // namespace

std::vector<std::uint8_t> UpstreamQuery::wire() const {
  std::vector<std::uint8_t> out;
  out.reserve(kHeaderSize + qname.wire_length() + 4 + 11);
  put_u16(out, id);
  put_u16(out, kFlagRD);
  for (std::uint16_t count : {1, 0, 0, 1}) put_u16(out, count);  // QD, AN, NS, AR
  out.insert(out.end(), qname.wire().begin(), qname.wire().end());
  put_u16(out, static_cast<std::uint16_t>(qtype));
  put_u16(out, static_cast<std::uint16_t>(RRClass::IN));
  // OPT: root owner, CLASS = payload, TTL = 0 (extended RCODE 0, version 0, DO 0), no options.
  out.push_back(0);
  put_u16(out, static_cast<std::uint16_t>(RRType::OPT));
  put_u16(out, kUpstreamUdpPayload);
  for (int i = 0; i < 3; ++i) put_u16(out, 0);  // TTL (two halves), RDLENGTH
  return out;
}

bool UpstreamQuery::is_answered_by(const DecodedMessage& response) const {
  if (response.id != id || !response.is_response() || response.opcode() != kOpcodeQuery)
    return false;
  if (response.questions.size() != 1) return false;
  const DecodedQuestion& q = response.questions.front();
  return q.qname == qname && q.qtype == qtype && q.qclass == RRClass::IN;
}

}  // namespace apex::flatten
