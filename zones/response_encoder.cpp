// Response encoding: decided sections → wire octets, with compression and truncation rules.
#include "zones/response_encoder.hpp"

#include <algorithm>

#include "zones/wire_writer.hpp"

namespace apex {
namespace {

void write_rrset(WireWriter& w, CompressionTable& table, const RRsetRef& ref, RRClass rrclass,
                 std::uint16_t& count) {
  const RRset& set = *ref.rrset;
  const std::uint8_t* p = set.rdata.data();
  for (std::uint16_t i = 0; i < set.count; ++i) {
    std::size_t len = static_cast<std::size_t>(p[0]) << 8 | p[1];
    write_record(w, table, ref.owner, set.type, ref.ttl, {p + 2, len}, rrclass);
    if (w.failed()) return;
    p += 2 + len;
  }
  count = static_cast<std::uint16_t>(count + set.count);
}

enum class SectionFit { kAll, kPartial, kTruncated };

// Writes whole RRsets; stops at the first that doesn't fit. Leaving out a required RRset
// means the response must be truncated (RFC 2181 §9).
SectionFit write_section(WireWriter& w, CompressionTable& table, const std::vector<RRsetRef>& refs,
                         RRClass rrclass, bool all_required, std::uint16_t& count) {
  for (const auto& ref : refs) {
    std::size_t before = w.pos();
    std::uint16_t count_before = count;
    write_rrset(w, table, ref, rrclass, count);
    if (!w.failed()) continue;
    w.rewind(before);
    table.truncate(before);
    count = count_before;
    if (all_required || ref.required) return SectionFit::kTruncated;
    return SectionFit::kPartial;
  }
  return SectionFit::kAll;
}

}  // namespace

std::size_t ResponseEncoder::encode(const Query& query, const Answer& answer,
                                    std::uint16_t offered_payload, std::span<std::uint8_t> out,
                                    std::size_t size_limit) {
  table_.clear();
  const bool edns = query.edns.present;
  std::size_t limit = std::min(size_limit, out.size());
  std::size_t trailer = edns ? kOptSize + (answer.nsid.empty() ? 0 : 4 + answer.nsid.size()) : 0;
  WireWriter w(out.data(), limit - trailer);
  std::uint16_t counts[4] = {0, 0, 0, 0};
  w.rewind(kHeaderSize);
  bool truncated = false;
  if (query.has_question) {
    write_question(w, table_, query.question);
    counts[0] = 1;
    // Only a limit under header and question leaves no room for the question (a signed
    // answer whose TSIG, echoing a long key name, takes the rest of 512 octets): the answer
    // is then the header alone with TC set (RFC 2181 §9), never a question cut short.
    if (w.failed()) {
      w.rewind(kHeaderSize);
      table_.clear();
      counts[0] = 0;
      truncated = true;
    }
  }
  const std::size_t after_question = w.pos();
  truncated = truncated ||
              write_section(w, table_, answer.answer, answer.rrclass, true, counts[1]) ==
                  SectionFit::kTruncated ||
              write_section(w, table_, answer.authority, answer.rrclass, true, counts[2]) ==
                  SectionFit::kTruncated ||
              write_section(w, table_, answer.additional, answer.rrclass, false, counts[3]) ==
                  SectionFit::kTruncated;
  if (truncated) {
    w.rewind(after_question);
    counts[1] = counts[2] = counts[3] = 0;
  }
  w.set_limit(limit);
  if (edns) {
    write_opt(w, answer.rcode, offered_payload, query.edns.dnssec_ok, answer.nsid);
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
