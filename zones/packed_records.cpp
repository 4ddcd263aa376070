// Records in compact wire form, back to back in one buffer.
#include "zones/packed_records.hpp"

namespace apex {
namespace {

void put16(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

}  // namespace

// Layout: owner length (1 octet; a name has at most 255), owner wire form, TYPE, TTL,
// RDLENGTH, RDATA; integers big-endian as on the wire.
void PackedRecords::add(const Record& r) {
  const auto owner = r.owner.wire();
  bytes_.push_back(static_cast<std::uint8_t>(owner.size()));
  bytes_.insert(bytes_.end(), owner.begin(), owner.end());
  put16(bytes_, static_cast<std::uint16_t>(r.type));
  put16(bytes_, r.ttl >> 16);
  put16(bytes_, r.ttl & 0xFFFF);
  put16(bytes_, static_cast<std::uint32_t>(r.rdata.size()));
  bytes_.insert(bytes_.end(), r.rdata.begin(), r.rdata.end());
  ++count_;
}

Status PackedRecords::for_each(const RecordSink& each) const {
  const std::uint8_t* p = bytes_.data();
  const std::uint8_t* end = p + bytes_.size();
  const auto read16 = [&p] {
    const std::uint32_t v = (std::uint32_t{p[0]} << 8) | p[1];
    p += 2;
    return v;
  };
  while (p < end) {
    const std::size_t owner_length = *p++;
    auto owner = Name::from_wire({p, owner_length});
    if (!owner) return Error{"packed record: " + owner.error()};  // only add() wrote these
    p += owner_length;
    Record r;
    r.owner = std::move(owner).value();
    r.type = static_cast<RRType>(read16());
    r.ttl = read16() << 16;
    r.ttl |= read16();
    const std::size_t rdlength = read16();
    r.rdata.assign(p, p + rdlength);
    p += rdlength;
    if (auto ok = each(std::move(r)); !ok) return ok;
  }
  return Ok{};
}

}  // namespace apex
