// IXFR difference sequences from journal versions (see ixfr_sequence.hpp).
#include "zones/ixfr_sequence.hpp"

namespace apex {
namespace {

// RRset RDATA is packed as {RDLENGTH, RDATA}* (zone.hpp).
void append_rdata(RRset& rrset, const std::vector<std::uint8_t>& rdata) {
  rrset.rdata.push_back(static_cast<std::uint8_t>(rdata.size() >> 8));
  rrset.rdata.push_back(static_cast<std::uint8_t>(rdata.size()));
  rrset.rdata.insert(rrset.rdata.end(), rdata.begin(), rdata.end());
}

}  // namespace

IxfrSequence::IxfrSequence(ZonePtr zone, const std::vector<ZoneDifference>& versions)
    : zone_(std::move(zone)) {
  for (const ZoneDifference& v : versions) {
    add(v.old_soa, false);
    add_section(v.deleted);
    add(v.new_soa, false);
    add_section(v.added);
  }
}

void IxfrSequence::add_section(const std::vector<Record>& records) {
  for (std::size_t i = 0; i < records.size(); ++i) add(records[i], i > 0);
  records_ += records.size();
}

// Records of one owner, type and TTL in a row share an RRset (fewer owner names to write);
// a section's first record never joins the one before, which belongs to another section.
void IxfrSequence::add(const Record& r, bool may_join) {
  const std::string_view owner = r.owner.wire_view();
  if (may_join && !items_.empty()) {
    Item& last = items_.back();
    if (last.owner == owner && last.rrset.type == r.type && last.rrset.ttl == r.ttl &&
        last.rrset.count < 0xffff) {
      append_rdata(last.rrset, r.rdata);
      ++last.rrset.count;
      return;
    }
  }
  Item item{std::string(owner), RRset{r.type, r.ttl, 1, {}, {}}};
  append_rdata(item.rrset, r.rdata);
  items_.push_back(std::move(item));
}

bool IxfrSequence::next(RRsetRef& out) {
  const RRset& soa = zone_->soa();
  if (!opened_) {
    opened_ = true;
    out = RRsetRef{zone_->apex_node().owner, &soa, soa.ttl};
    return true;
  }
  if (at_ < items_.size()) {
    const Item& item = items_[at_++];
    out = RRsetRef{item.owner, &item.rrset, item.rrset.ttl};
    return true;
  }
  if (closed_) return false;
  closed_ = true;
  out = RRsetRef{zone_->apex_node().owner, &soa, soa.ttl};
  return true;
}

std::optional<std::pair<std::size_t, std::size_t>> journal_path(
    std::span<const VersionStep> journal, std::uint32_t client_serial, std::uint32_t serial) {
  std::size_t first = 0;
  while (first < journal.size() && journal[first].from != client_serial) ++first;
  if (first == journal.size()) return std::nullopt;
  std::uint32_t at = client_serial;
  std::size_t last = first;
  for (; last < journal.size() && at != serial; ++last) {
    if (journal[last].from != at) return std::nullopt;  // a gap: history lost
    at = journal[last].to;
  }
  if (at != serial) return std::nullopt;
  return std::pair{first, last};
}

}  // namespace apex
