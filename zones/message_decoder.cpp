// Decodes untrusted DNS messages (RFC 1035 §4.1): name decompression with backward-only
// pointers (§4.1.4), RDATA names made canonical (RFC 3597 §4), OPT extraction (RFC 6891 §6.1).
#include "zones/message_decoder.hpp"

#include <algorithm>
#include <string>

#include "zones/rdata_schema.hpp"
#include "zones/wire_reader.hpp"

namespace apex {
namespace {

// A name has at most 127 labels, so an honest encoder never needs more pointers than that;
// the cap bounds the work a hostile chain of pointers can cause.
constexpr unsigned kMaxPointerHops = 127;
// Type, class, TTL and RDLENGTH: the fixed part after a record's owner name.
constexpr std::size_t kRecordFixedSize = 10;
// The smallest record: a root owner name plus the fixed part.
constexpr std::size_t kMinRecordSize = 1 + kRecordFixedSize;

Error malformed(std::size_t offset, std::string_view what) {
  return Error{"malformed message at offset " + std::to_string(offset) + ": " + std::string(what)};
}

// Reads the possibly compressed name at pos and appends its uncompressed wire form to out.
// Octets read in place must lie before end (the end of the RDATA for names inside RDATA);
// once a pointer is followed, the rest of the packet is fair game. Each pointer must point
// before the previous one's target (or before the name's start), which rules out loops.
// Returns the offset just past the name as it sits in place.
Result<std::size_t> read_name(std::span<const std::uint8_t> packet, std::size_t pos,
                              std::size_t end, std::vector<std::uint8_t>& out) {
  std::size_t limit = pos, length = 0, next = 0;
  unsigned hops = 0;
  for (;;) {
    if (pos >= end) return malformed(pos, "name runs past its end");
    const std::uint8_t n = packet[pos];
    if ((n & 0xC0) == 0xC0) {
      if (pos + 1 >= end) return malformed(pos, "compression pointer cut short");
      const std::size_t target = static_cast<std::size_t>(n & 0x3F) << 8 | packet[pos + 1];
      if (target >= limit) return malformed(pos, "compression pointer does not point backwards");
      if (++hops > kMaxPointerHops) return malformed(pos, "too many compression pointers");
      if (hops == 1) next = pos + 2;
      limit = pos = target;
      end = packet.size();
      continue;
    }
    // 0x40 and 0x80 are the obsolete extended label types (RFC 6891 §5).
    if (n > kMaxLabelLength) return malformed(pos, "unsupported label type");
    length += 1u + n;
    if (length > kMaxNameLength) return malformed(pos, "name longer than 255 octets");
    if (end - pos < 1u + n) return malformed(pos, "label runs past its end");
    out.insert(out.end(), packet.begin() + static_cast<std::ptrdiff_t>(pos),
               packet.begin() + static_cast<std::ptrdiff_t>(pos + 1 + n));
    if (n == 0) return hops == 0 ? pos + 1 : next;
    pos += 1u + n;
  }
}

Result<Name> read_owner(WireReader& r) {
  std::vector<std::uint8_t> wire;
  auto next = read_name(r.packet(), r.pos(), r.packet().size(), wire);
  if (!next) return Error{next.error()};
  r.seek(*next);
  return Name::from_wire(wire);
}

// Rewrites RDATA [pos, end) part by part with every name uncompressed; the parts must fill
// the RDATA exactly.
Result<std::vector<std::uint8_t>> decompress_rdata(std::span<const std::uint8_t> packet,
                                                   std::size_t pos, std::size_t end,
                                                   std::span<const WirePart> parts) {
  std::vector<std::uint8_t> out;
  out.reserve(end - pos);
  for (const WirePart& part : parts) {
    if (part.kind == WirePart::Kind::kName) {
      auto next = read_name(packet, pos, end, out);
      if (!next) return Error{next.error()};
      pos = *next;
      continue;
    }
    std::size_t size = part.octets;
    if (part.kind == WirePart::Kind::kString) {
      if (pos >= end) return malformed(pos, "RDATA ends before a character-string");
      size = 1u + packet[pos];
    }
    if (end - pos < size) return malformed(pos, "RDATA ends inside a field");
    out.insert(out.end(), packet.begin() + static_cast<std::ptrdiff_t>(pos),
               packet.begin() + static_cast<std::ptrdiff_t>(pos + size));
    pos += size;
  }
  if (pos != end) return malformed(pos, "RDATA has octets after its last field");
  return out;
}

// The RDATA of types whose names may arrive compressed (RFC 3597 §4) is rewritten with its
// names uncompressed; any other RDATA is opaque and copied.
Result<std::vector<std::uint8_t>> read_rdata(std::span<const std::uint8_t> packet, RRType type,
                                             std::size_t pos, std::size_t length) {
  const RdataLayout* layout = rdata_layout(type);
  if (!layout || layout->compression == NameCompression::kNever)
    return std::vector<std::uint8_t>(packet.begin() + static_cast<std::ptrdiff_t>(pos),
                                     packet.begin() + static_cast<std::ptrdiff_t>(pos + length));
  return decompress_rdata(packet, pos, pos + length, layout->wire_parts());
}

// RFC 6891 §6.1.2: the OPT's CLASS is the payload size; its TTL holds the extended RCODE,
// the version and the DO bit.
DecodedOpt opt_from(std::uint16_t rrclass, std::uint32_t ttl, std::vector<std::uint8_t> rdata) {
  DecodedOpt opt;
  opt.udp_payload = rrclass;
  opt.extended_rcode = static_cast<std::uint8_t>(ttl >> 24);
  opt.version = static_cast<std::uint8_t>(ttl >> 16);
  opt.dnssec_ok = (ttl & 0x8000) != 0;
  opt.options = std::move(rdata);
  return opt;
}

enum class Section { kAnswer, kAuthority, kAdditional };

// A record, or the OPT pseudo-record stored into message.opt (only allowed in additional,
// once, owned by the root: RFC 6891 §6.1.1).
Status read_record(WireReader& r, Section section, std::vector<Record>& out,
                   DecodedMessage& message) {
  const std::size_t start = r.pos();
  auto owner = read_owner(r);
  if (!owner) return Error{owner.error()};
  std::uint16_t type = 0, rrclass = 0, rdlength = 0;
  std::uint32_t ttl = 0;
  if (!r.u16(type) || !r.u16(rrclass) || !r.u32(ttl) || !r.u16(rdlength))
    return malformed(r.pos(), "record cut short");
  if (r.remaining() < rdlength) return malformed(r.pos(), "RDATA runs past the end");
  const std::size_t rdata_pos = r.pos();
  r.seek(rdata_pos + rdlength);
  auto rdata = read_rdata(r.packet(), static_cast<RRType>(type), rdata_pos, rdlength);
  if (!rdata) return Error{rdata.error()};

  if (static_cast<RRType>(type) == RRType::OPT) {
    if (section != Section::kAdditional) return malformed(start, "OPT outside additional");
    if (message.opt) return malformed(start, "more than one OPT");
    if (!owner->is_root()) return malformed(start, "OPT owner is not the root");
    if (!options_well_formed(*rdata)) return malformed(rdata_pos, "OPT options malformed");
    message.opt = opt_from(rrclass, ttl, std::move(*rdata));
    return Ok{};
  }
  // RFC 2181 §8: a TTL with the top bit set is treated as zero.
  if (ttl > kMaxTtl) ttl = 0;
  out.push_back(Record{std::move(*owner), static_cast<RRType>(type), static_cast<RRClass>(rrclass),
                       ttl, std::move(*rdata)});
  return Ok{};
}

Status read_section(WireReader& r, std::uint16_t count, Section section, std::vector<Record>& out,
                    DecodedMessage& message) {
  // A hostile count must not make us allocate for records the packet cannot hold.
  out.reserve(std::min<std::size_t>(count, r.remaining() / kMinRecordSize));
  for (std::uint16_t i = 0; i < count; ++i) {
    Status s = read_record(r, section, out, message);
    if (!s) return s;
  }
  return Ok{};
}

Status read_question(WireReader& r, DecodedMessage& message) {
  auto qname = read_owner(r);
  if (!qname) return Error{qname.error()};
  std::uint16_t qtype = 0, qclass = 0;
  if (!r.u16(qtype) || !r.u16(qclass)) return malformed(r.pos(), "question cut short");
  message.questions.push_back(
      DecodedQuestion{std::move(*qname), static_cast<RRType>(qtype), static_cast<RRClass>(qclass)});
  return Ok{};
}

struct Counts {
  std::uint16_t qd = 0, an = 0, ns = 0, ar = 0;
};

Result<Counts> read_header_and_questions(WireReader& r, DecodedMessage& message) {
  Counts c;
  if (!r.u16(message.id) || !r.u16(message.flags) || !r.u16(c.qd) || !r.u16(c.an) || !r.u16(c.ns) ||
      !r.u16(c.ar))
    return malformed(r.pos(), "header cut short");
  message.questions.reserve(std::min<std::size_t>(c.qd, r.remaining() / 5));
  for (std::uint16_t i = 0; i < c.qd; ++i) {
    Status s = read_question(r, message);
    if (!s) return Error{s.error()};
  }
  return c;
}

}  // namespace

Rcode DecodedMessage::rcode() const {
  const unsigned high = opt ? opt->extended_rcode : 0u;
  return static_cast<Rcode>(high << 4 | (flags & 0x000Fu));
}

Result<DecodedMessage> decode_header_and_question(std::span<const std::uint8_t> packet) {
  DecodedMessage message;
  WireReader r(packet);
  auto counts = read_header_and_questions(r, message);
  if (!counts) return Error{counts.error()};
  return message;
}

Result<DecodedMessage> decode_message(std::span<const std::uint8_t> packet) {
  DecodedMessage message;
  WireReader r(packet);
  auto counts = read_header_and_questions(r, message);
  if (!counts) return Error{counts.error()};
  Status s = read_section(r, counts->an, Section::kAnswer, message.answer, message);
  if (s) s = read_section(r, counts->ns, Section::kAuthority, message.authority, message);
  if (s) s = read_section(r, counts->ar, Section::kAdditional, message.additional, message);
  if (!s) return Error{s.error()};
  if (r.remaining() != 0) return malformed(r.pos(), "octets after the last record");
  return message;
}

}  // namespace apex
