// Response encoding: decided sections → wire octets, with compression and truncation rules.
#include "zones/response_encoder.hpp"

#include <algorithm>

#include "zones/wire_writer.hpp"

namespace apex {
namespace {

void write_rrset(WireWriter& w, CompressionTable& table, const RRsetRef& ref,
                 std::uint16_t& count) {
  const RRset& set = *ref.rrset;
  const std::uint8_t* p = set.rdata.data();
  for (std::uint16_t i = 0; i < set.count; ++i) {
    std::size_t len = static_cast<std::size_t>(p[0]) << 8 | p[1];
    write_record(w, table, ref.owner, set.type, ref.ttl, {p + 2, len});
    if (w.failed()) return;
    p += 2 + len;
  }
  count = static_cast<std::uint16_t>(count + set.count);
}

enum class SectionFit { kAll, kPartial, kTruncated };

// Writes whole RRsets; stops at the first that doesn't fit. Leaving out a required RRset
// means the response must be truncated (RFC 2181 §9).
SectionFit write_section(WireWriter& w, CompressionTable& table, const std::vector<RRsetRef>& refs,
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

// RFC 8945 §5.2.2: an unsigned TSIG with error BADKEY, echoing the request's key name,
// algorithm, Time Signed, Fudge and Original ID, with an empty MAC.
void write_bad_key_tsig(WireWriter& w, const Tsig& tsig) {
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
  const bool bad_key =
      answer.rcode == Rcode::NotAuth && query.tsig.present &&
      kHeaderSize + query.question.length + 4 + trailer + tsig_size(query.tsig) <= limit;
  if (bad_key) trailer += tsig_size(query.tsig);
  WireWriter w(out.data(), limit - trailer);
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
  std::uint16_t flags = static_cast<std::uint16_t>(
      kFlagQR | (query.flags & kOpcodeMask) | (query.flags & (kFlagRD | kFlagCD)) |
      (static_cast<std::uint16_t>(answer.rcode) & 0xF));
  if (answer.authoritative) flags |= kFlagAA;
  if (truncated) flags |= kFlagTC;
  w.patch_u16(0, query.id);
  w.patch_u16(2, flags);
  for (int i = 0; i < 4; ++i) w.patch_u16(4 + 2 * i, counts[i]);
  return w.pos();
}

}  // namespace apex
