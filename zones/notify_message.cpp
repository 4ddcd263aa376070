// NOTIFY messages and their acknowledgements (RFC 1996 §3.7, §4.7).
#include "zones/notify_message.hpp"

#include "zones/compression_table.hpp"
#include "zones/message_decoder.hpp"
#include "zones/wire_writer.hpp"

namespace apex {

std::size_t write_notify(std::span<std::uint8_t> out, std::uint16_t id, const Zone& zone) {
  WireWriter w(out.data(), out.size());
  CompressionTable table;
  w.u16(id);
  w.u16(static_cast<std::uint16_t>(kOpcodeNotify << kOpcodeShift) | kFlagAA);
  w.u16(1);  // QDCOUNT
  w.u16(1);  // ANCOUNT: the SOA
  w.u16(0);
  w.u16(0);
  const std::string_view owner = zone.apex_node().owner;
  write_name(w, table, owner);
  w.u16(static_cast<std::uint16_t>(RRType::SOA));
  w.u16(static_cast<std::uint16_t>(RRClass::IN));
  const RRset& soa = zone.soa();
  write_record(w, table, owner, RRType::SOA, soa.ttl,
               std::span<const std::uint8_t>(soa.rdata).subspan(2));  // past RDLENGTH
  return w.failed() ? 0 : w.pos();
}

NotifyReply classify_notify_reply(std::span<const std::uint8_t> packet, std::uint16_t id,
                                  const Name& apex) {
  auto m = decode_header_and_question(packet);
  if (!m || m->id != id || !m->is_response() || m->opcode() != kOpcodeNotify ||
      m->questions.size() != 1)
    return NotifyReply::kNotAReply;
  const DecodedQuestion& q = m->questions.front();
  if (q.qtype != RRType::SOA || q.qclass != RRClass::IN || !(q.qname == apex))
    return NotifyReply::kNotAReply;
  return m->rcode() == Rcode::NoError ? NotifyReply::kAcknowledged : NotifyReply::kRefused;
}

}  // namespace apex
