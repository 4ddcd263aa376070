// Response encoding: decided sections → wire octets, with compression and truncation rules.
#include "zones/response_encoder.hpp"

#include <algorithm>
#include <cstring>

namespace apex {
namespace {

constexpr std::size_t kOptSize = 11;  // root name, TYPE, CLASS, TTL, RDLENGTH

// A bounded cursor over the output buffer; a write that does not fit sets failed().
class Writer {
 public:
  Writer(std::uint8_t* buf, std::size_t limit) : buf_(buf), limit_(limit) {}
  std::size_t pos() const { return pos_; }
  bool failed() const { return failed_; }
  std::uint8_t* data() { return buf_; }
  void rewind(std::size_t pos) {
    pos_ = pos;
    failed_ = false;
  }
  void set_limit(std::size_t limit) { limit_ = limit; }
  void u8(std::uint8_t v) {
    if (room(1)) buf_[pos_++] = v;
  }
  void u16(std::uint16_t v) {
    if (!room(2)) return;
    buf_[pos_++] = static_cast<std::uint8_t>(v >> 8);
    buf_[pos_++] = static_cast<std::uint8_t>(v);
  }
  void u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v >> 16));
    u16(static_cast<std::uint16_t>(v));
  }
  void bytes(const void* p, std::size_t n) {
    if (!room(n)) return;
    std::memcpy(buf_ + pos_, p, n);
    pos_ += n;
  }
  void patch_u16(std::size_t at, std::uint16_t v) {
    buf_[at] = static_cast<std::uint8_t>(v >> 8);
    buf_[at + 1] = static_cast<std::uint8_t>(v);
  }

 private:
  bool room(std::size_t n) {
    if (failed_ || pos_ + n > limit_) {
      failed_ = true;
      return false;
    }
    return true;
  }
  std::uint8_t* buf_;
  std::size_t limit_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

void write_name(Writer& w, CompressionTable& table, std::string_view name) {
  for (std::size_t pos = 0; pos < name.size() && name[pos] != 0;) {
    std::string_view suffix = name.substr(pos);
    int earlier = table.find(w.data(), suffix);
    if (earlier >= 0) {
      w.u16(static_cast<std::uint16_t>(0xC000 | earlier));
      return;
    }
    if (w.failed()) return;
    table.add(w.pos(), suffix.size());
    std::size_t len = static_cast<std::uint8_t>(name[pos]) + 1u;
    w.bytes(name.data() + pos, len);
    pos += len;
  }
  w.u8(0);
}

std::string_view name_at(std::span<const std::uint8_t> rdata, std::size_t offset) {
  std::size_t pos = offset;
  while (pos < rdata.size() && rdata[pos] != 0) pos += rdata[pos] + 1u;
  return {reinterpret_cast<const char*>(rdata.data()) + offset, pos + 1 - offset};
}

// RFC 3597 §4: only the RFC 1035 types may have their embedded names compressed.
void write_rdata(Writer& w, CompressionTable& table, RRType type,
                 std::span<const std::uint8_t> rdata) {
  std::size_t name_offset = 0;
  switch (type) {
    case RRType::NS:
    case RRType::CNAME:
    case RRType::PTR:
      write_name(w, table, name_at(rdata, 0));
      return;
    case RRType::MX:
      name_offset = 2;
      break;
    case RRType::SOA: {
      auto mname = name_at(rdata, 0);
      auto rname = name_at(rdata, mname.size());
      write_name(w, table, mname);
      write_name(w, table, rname);
      w.bytes(rdata.data() + mname.size() + rname.size(),
              rdata.size() - mname.size() - rname.size());
      return;
    }
    default:
      w.bytes(rdata.data(), rdata.size());
      return;
  }
  w.bytes(rdata.data(), name_offset);
  write_name(w, table, name_at(rdata, name_offset));
}

void write_rrset(Writer& w, CompressionTable& table, const RRsetRef& ref, std::uint16_t& count) {
  const RRset& set = *ref.rrset;
  const std::uint8_t* p = set.rdata.data();
  for (std::uint16_t i = 0; i < set.count; ++i) {
    std::size_t len = static_cast<std::size_t>(p[0]) << 8 | p[1];
    write_name(w, table, ref.owner);
    w.u16(static_cast<std::uint16_t>(set.type));
    w.u16(static_cast<std::uint16_t>(RRClass::IN));
    w.u32(ref.ttl);
    std::size_t rdlength_at = w.pos();
    w.u16(0);
    write_rdata(w, table, set.type, {p + 2, len});
    if (w.failed()) return;
    w.patch_u16(rdlength_at, static_cast<std::uint16_t>(w.pos() - rdlength_at - 2));
    p += 2 + len;
  }
  count = static_cast<std::uint16_t>(count + set.count);
}

enum class SectionFit { kAll, kPartial, kTruncated };

// Writes whole RRsets; stops at the first that doesn't fit. Leaving out a required RRset
// means the response must be truncated (RFC 2181 §9).
SectionFit write_section(Writer& w, CompressionTable& table, const std::vector<RRsetRef>& refs,
                         bool all_required, std::uint16_t& count) {
  for (const auto& ref : refs) {
    std::size_t before = w.pos();
    std::uint16_t count_before = count;
    write_rrset(w, table, ref, count);
    if (!w.failed()) continue;
    w.rewind(before);
    table.truncate(before);
    count = count_before;
    if (all_required || ref.required) return SectionFit::kTruncated;
    return SectionFit::kPartial;
  }
  return SectionFit::kAll;
}

void write_question(Writer& w, CompressionTable& table, const Question& q) {
  write_name(w, table, q.name());
  w.u16(static_cast<std::uint16_t>(q.qtype));
  w.u16(static_cast<std::uint16_t>(q.qclass));
}

// OPT pseudo-RR (RFC 6891 §6.1.3): extended RCODE bits, version 0, DO copied (RFC 3225 §3).
void write_opt(Writer& w, Rcode rcode, std::uint16_t payload, bool dnssec_ok) {
  w.u8(0);
  w.u16(static_cast<std::uint16_t>(RRType::OPT));
  w.u16(payload);
  w.u8(static_cast<std::uint8_t>(static_cast<std::uint16_t>(rcode) >> 4));
  w.u8(0);
  w.u16(dnssec_ok ? 0x8000 : 0);
  w.u16(0);
}

// RFC 8945 §5.2.2: an unsigned TSIG with error BADKEY, echoing the request's key name,
// algorithm, Time Signed, Fudge and Original ID, with an empty MAC.
void write_bad_key_tsig(Writer& w, const Tsig& tsig) {
  w.bytes(tsig.key_name.data(), tsig.key_name.size());
  w.u16(static_cast<std::uint16_t>(RRType::TSIG));
  w.u16(static_cast<std::uint16_t>(RRClass::ANY));
  w.u32(0);
  w.u16(static_cast<std::uint16_t>(tsig.algorithm.size() + tsig.time_fudge.size() + 10));
  w.bytes(tsig.algorithm.data(), tsig.algorithm.size());
  w.bytes(tsig.time_fudge.data(), tsig.time_fudge.size());
  w.u16(0);  // MAC Size
  w.u16(tsig.original_id);
  w.u16(kTsigErrorBadKey);
  w.u16(0);  // Other Len
}

std::size_t tsig_size(const Tsig& tsig) {
  return tsig.present ? tsig.key_name.size() + 10 + tsig.algorithm.size() + 18 : 0;
}

}  // namespace

std::size_t ResponseEncoder::encode(const Query& query, const Answer& answer,
                                    std::uint16_t offered_payload, std::span<std::uint8_t> out,
                                    std::size_t size_limit) {
  table_.clear();
  const bool edns = query.edns.present;
  std::size_t limit = std::min(size_limit, out.size());
  std::size_t trailer = edns ? kOptSize : 0;
  // The BADKEY TSIG goes out only when it fits beside the header and question.
  const bool bad_key = answer.rcode == Rcode::NotAuth && query.tsig.present &&
                       kHeaderSize + query.question.length + 4 + trailer +
                               tsig_size(query.tsig) <= limit;
  if (bad_key) trailer += tsig_size(query.tsig);
  Writer w(out.data(), limit - trailer);
  std::uint16_t counts[4] = {0, 0, 0, 0};
  w.rewind(kHeaderSize);
  if (query.has_question) {
    write_question(w, table_, query.question);
    counts[0] = 1;
  }
  const std::size_t after_question = w.pos();
  bool truncated =
      write_section(w, table_, answer.answer, true, counts[1]) == SectionFit::kTruncated ||
      write_section(w, table_, answer.authority, true, counts[2]) == SectionFit::kTruncated ||
      write_section(w, table_, answer.additional, false, counts[3]) == SectionFit::kTruncated;
  if (truncated) {
    w.rewind(after_question);
    counts[1] = counts[2] = counts[3] = 0;
  }
  w.set_limit(limit);
  if (edns) {
    write_opt(w, answer.rcode, offered_payload, query.edns.dnssec_ok);
    ++counts[3];
  }
  if (bad_key) {
    write_bad_key_tsig(w, query.tsig);
    ++counts[3];
  }
  std::uint16_t flags = static_cast<std::uint16_t>(kFlagQR | (query.flags & kOpcodeMask) |
                                                   (query.flags & (kFlagRD | kFlagCD)) |
                                                   (static_cast<std::uint16_t>(answer.rcode) & 0xF));
  if (answer.authoritative) flags |= kFlagAA;
  if (truncated) flags |= kFlagTC;
  w.patch_u16(0, query.id);
  w.patch_u16(2, flags);
  for (int i = 0; i < 4; ++i) w.patch_u16(4 + 2 * i, counts[i]);
  return w.pos();
}

}  // namespace apex
