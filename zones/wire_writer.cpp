// Names, records, questions and OPT in wire form, with name compression (RFC 1035 §4.1.4).
#include "zones/wire_writer.hpp"

#include "zones/rdata_schema.hpp"

namespace apex {
namespace {

std::string_view name_at(std::span<const std::uint8_t> rdata, std::size_t offset) {
  std::size_t pos = offset;
  while (pos < rdata.size() && rdata[pos] != 0) pos += rdata[pos] + 1u;
  return {reinterpret_cast<const char*>(rdata.data()) + offset, pos + 1 - offset};
}

// Zone RDATA is well formed, so its parts are walked without checks beyond its end; any
// octets past the parts are copied as they are.
void write_parts(WireWriter& w, CompressionTable& table, std::span<const WirePart> parts,
                 std::span<const std::uint8_t> rdata) {
  std::size_t pos = 0;
  for (const WirePart& part : parts) {
    if (pos >= rdata.size()) return;
    if (part.kind == WirePart::Kind::kName) {
      const std::string_view name = name_at(rdata, pos);
      write_name(w, table, name);
      pos += name.size();
    } else {
      const std::size_t size = part.kind == WirePart::Kind::kString ? 1u + rdata[pos] : part.octets;
      w.bytes(rdata.data() + pos, size);
      pos += size;
    }
  }
  if (pos < rdata.size()) w.bytes(rdata.data() + pos, rdata.size() - pos);
}

// RFC 3597 §4: only the RFC 1035 types may have their embedded names compressed.
void write_rdata(WireWriter& w, CompressionTable& table, RRType type,
                 std::span<const std::uint8_t> rdata) {
  const RdataLayout* layout = rdata_layout(type);
  if (layout && layout->compression == NameCompression::kBothWays)
    write_parts(w, table, layout->wire_parts(), rdata);
  else
    w.bytes(rdata.data(), rdata.size());
}

}  // namespace

void write_name(WireWriter& w, CompressionTable& table, std::string_view name) {
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

void write_record(WireWriter& w, CompressionTable& table, std::string_view owner, RRType type,
                  std::uint32_t ttl, std::span<const std::uint8_t> rdata, RRClass rrclass) {
  write_name(w, table, owner);
  w.u16(static_cast<std::uint16_t>(type));
  w.u16(static_cast<std::uint16_t>(rrclass));
  w.u32(ttl);
  std::size_t rdlength_at = w.pos();
  w.u16(0);
  write_rdata(w, table, type, rdata);
  if (!w.failed()) w.patch_u16(rdlength_at, static_cast<std::uint16_t>(w.pos() - rdlength_at - 2));
}

void write_question(WireWriter& w, CompressionTable& table, const Question& q) {
  write_name(w, table, q.name());
  w.u16(static_cast<std::uint16_t>(q.qtype));
  w.u16(static_cast<std::uint16_t>(q.qclass));
}

void write_opt(WireWriter& w, Rcode rcode, std::uint16_t payload, bool dnssec_ok,
               std::string_view nsid) {
  w.u8(0);
  w.u16(static_cast<std::uint16_t>(RRType::OPT));
  w.u16(payload);
  w.u8(static_cast<std::uint8_t>(static_cast<std::uint16_t>(rcode) >> 4));
  w.u8(0);
  w.u16(dnssec_ok ? 0x8000 : 0);
  if (nsid.empty()) {
    w.u16(0);
    return;
  }
  w.u16(static_cast<std::uint16_t>(4 + nsid.size()));
  w.u16(kNsidOption);
  w.u16(static_cast<std::uint16_t>(nsid.size()));
  w.bytes(nsid.data(), nsid.size());
}

}  // namespace apex
