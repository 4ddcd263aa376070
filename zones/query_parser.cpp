// Parses untrusted query packets (RFC 1035 §4.1, RFC 6891 §6.1) into Query without allocating;
// every malformation is an outcome, never an exception.
#include <cstring>

#include "zones/message.hpp"
#include "zones/name.hpp"
#include "zones/wire_reader.hpp"

namespace apex {
namespace {

// The question name: uncompressed labels only. A query's question starts at offset 12, so
// any compression pointer in it would point into the header or forward: malformed.
bool read_question_name(WireReader& r, Question& q) {
  std::size_t len = 0;
  q.labels = 0;
  for (;;) {
    std::uint8_t n = 0;
    if (!r.u8(n)) return false;
    if (n > kMaxLabelLength) return false;  // pointers (0xC0) and reserved types (0x40, 0x80)
    if (len + 1 + n > kMaxNameLength) return false;
    if (r.remaining() < n) return false;
    if (n == 0) {
      q.wire[len] = 0;
      q.lower[len] = 0;
      q.length = static_cast<std::uint8_t>(len + 1);
      return true;
    }
    q.label_offsets[q.labels++] = static_cast<std::uint8_t>(len);
    q.wire[len] = n;
    q.lower[len] = n;
    const std::uint8_t* src = r.packet().data() + r.pos();
    for (std::size_t k = 0; k < n; ++k) {
      q.wire[len + 1 + k] = src[k];
      q.lower[len + 1 + k] = fold_case(src[k]);
    }
    r.skip(n);
    len += n + 1u;
  }
}

// Skips a possibly compressed name in a resource record; pointers must point backwards
// (RFC 1035 §4.1.4), which also rules out loops.
bool skip_name(WireReader& r, bool& is_root) {
  const auto p = r.packet();
  std::size_t pos = r.pos(), limit = r.pos(), total = 0;
  bool jumped = false;
  is_root = true;
  for (;;) {
    if (pos >= p.size()) return false;
    std::uint8_t n = p[pos];
    if ((n & 0xC0) == 0xC0) {
      if (pos + 1 >= p.size()) return false;
      std::size_t target = static_cast<std::size_t>(n & 0x3F) << 8 | p[pos + 1];
      if (target >= limit) return false;
      if (!jumped) r.skip(pos + 2 - r.pos());
      jumped = true;
      limit = target;
      pos = target;
      is_root = false;
      continue;
    }
    if (n > kMaxLabelLength) return false;
    total += n + 1u;
    if (total > kMaxNameLength) return false;
    if (n == 0) {
      if (!jumped) r.skip(pos + 1 - r.pos());
      return true;
    }
    is_root = false;
    pos += n + 1u;
  }
}

// Whether the name at pos (validated by skip_name, so its pointers point backwards) equals
// the question's name, ignoring ASCII case.
bool name_is_question(std::span<const std::uint8_t> packet, std::size_t pos, const Question& q) {
  const std::string_view lower = q.lower_name();
  for (std::size_t i = 0;;) {
    std::uint8_t n = packet[pos];
    if ((n & 0xC0) == 0xC0) {
      pos = static_cast<std::size_t>(n & 0x3F) << 8 | packet[pos + 1];
      continue;
    }
    if (i >= lower.size() || static_cast<std::uint8_t>(lower[i]) != n) return false;
    if (n == 0) return true;
    for (std::size_t k = 1; k <= n; ++k)
      if (fold_case(packet[pos + k]) != static_cast<std::uint8_t>(lower[i + k])) return false;
    pos += n + 1u;
    i += n + 1u;
  }
}

// SOA RDATA (RFC 1035 §3.3.13): MNAME and RNAME (possibly compressed), then SERIAL and four
// more 32-bit fields, filling RDLENGTH exactly.
bool read_soa_serial(WireReader& r, std::size_t rdlength, std::uint32_t& serial) {
  const std::size_t end = r.pos() + rdlength;
  bool root = false;
  if (!skip_name(r, root) || !skip_name(r, root)) return false;
  if (r.pos() > end || end - r.pos() != 20) return false;
  return r.u32(serial) && r.skip(16);
}

// RFC 1995 §3: an IXFR carries exactly one record in its authority section, the client's
// SOA for the zone asked for, of the question's class; every other query carries none
// (RFC 1035 §4.1.1).
bool read_authority(WireReader& r, std::uint16_t count, Query& query) {
  const Question& q = query.question;
  if (q.qtype != RRType::IXFR) return count == 0;
  if (count != 1) return false;
  bool root = false;
  std::size_t owner = r.pos();
  std::uint16_t type = 0, cls = 0, rdlength = 0;
  std::uint32_t ttl = 0;
  if (!skip_name(r, root) || !r.u16(type) || !r.u16(cls) || !r.u32(ttl) || !r.u16(rdlength))
    return false;
  if (type != static_cast<std::uint16_t>(RRType::SOA) ||
      cls != static_cast<std::uint16_t>(q.qclass) || r.remaining() < rdlength ||
      !name_is_question(r.packet(), owner, q))
    return false;
  query.has_client_serial = read_soa_serial(r, rdlength, query.client_serial);
  return query.has_client_serial;
}

// RFC 6891 §6.1.1: at most one OPT, owned by the root; its TTL field carries the version
// and the DO bit, its CLASS the requestor's UDP payload size. RFC 8945 §5.1: a TSIG must be
// the last record.
ParseOutcome read_additional(WireReader& r, std::uint16_t count, Query& query) {
  Edns& edns = query.edns;
  bool bad_version = false;
  for (std::uint16_t i = 0; i < count; ++i) {
    bool root = false;
    std::uint16_t type = 0, cls = 0, rdlength = 0;
    std::uint32_t ttl = 0;
    if (!skip_name(r, root) || !r.u16(type) || !r.u16(cls) || !r.u32(ttl) || !r.u16(rdlength))
      return ParseOutcome::kFormErr;
    if (r.remaining() < rdlength) return ParseOutcome::kFormErr;
    auto rdata = r.packet().subspan(r.pos(), rdlength);
    r.skip(rdlength);
    if (type == static_cast<std::uint16_t>(RRType::TSIG)) {
      // RFC 8945 §5.1: the last record. Its fields are checked where keys are at hand
      // (verify_request), which also answers a malformed one FORMERR.
      if (i + 1 != count) return ParseOutcome::kFormErr;
      query.tsig.present = true;
      continue;
    }
    if (type != static_cast<std::uint16_t>(RRType::OPT)) continue;
    if (edns.present || !root || !options_well_formed(rdata)) return ParseOutcome::kFormErr;
    edns.present = true;
    edns.version = static_cast<std::uint8_t>(ttl >> 16);
    edns.dnssec_ok = (ttl & 0x8000) != 0;
    edns.nsid = !rdata.empty() && has_option(rdata, kNsidOption);
    edns.udp_payload = cls < kClassicUdpSize ? kClassicUdpSize : cls;
    bad_version = edns.version != 0;
  }
  if (query.tsig.present) return ParseOutcome::kSigned;
  return bad_version ? ParseOutcome::kBadVers : ParseOutcome::kQuery;
}

}  // namespace

ParseOutcome parse_query(std::span<const std::uint8_t> packet, Query& out) {
  WireReader r(packet);
  std::uint16_t qd = 0, an = 0, ns = 0, ar = 0;
  out.has_question = false;
  out.edns = Edns{};
  out.tsig = Tsig{};
  out.has_client_serial = false;
  if (!r.u16(out.id) || !r.u16(out.flags) || !r.u16(qd) || !r.u16(an) || !r.u16(ns) || !r.u16(ar))
    return ParseOutcome::kDrop;
  if (out.flags & kFlagQR) return ParseOutcome::kDrop;

  if (qd == 1) {
    std::uint16_t qtype = 0, qclass = 0;
    if (!read_question_name(r, out.question) || !r.u16(qtype) || !r.u16(qclass))
      return out.opcode() == kOpcodeQuery ? ParseOutcome::kFormErr : ParseOutcome::kNotImp;
    out.question.qtype = static_cast<RRType>(qtype);
    out.question.qclass = static_cast<RRClass>(qclass);
    out.has_question = true;
  }
  if (out.opcode() != kOpcodeQuery) return ParseOutcome::kNotImp;
  // A query carries exactly one question and nothing in answer (RFC 1035 §4.1.1).
  if (qd != 1 || an != 0 || !read_authority(r, ns, out)) return ParseOutcome::kFormErr;
  ParseOutcome outcome = read_additional(r, ar, out);
  if (outcome == ParseOutcome::kQuery && r.remaining() != 0) return ParseOutcome::kFormErr;
  return outcome;
}

}  // namespace apex
