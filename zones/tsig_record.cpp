// Locating, parsing and writing the TSIG RR (RFC 8945 §4.2, §5.1).
#include "zones/tsig_record.hpp"

#include <algorithm>

#include "zones/message.hpp"
#include "zones/message_decoder.hpp"

namespace apex {
namespace {

std::uint16_t read_u16(std::span<const std::uint8_t> p, std::size_t at) {
  return static_cast<std::uint16_t>(p[at] << 8 | p[at + 1]);
}

std::uint64_t read_u48(std::span<const std::uint8_t> p, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 6; ++i) v = v << 8 | p[at + i];
  return v;
}

// Offset just past the (possibly compressed) name at pos. Only used on a message that
// decode_message accepted, so every name is well formed; the bound is a second guard.
std::size_t skip_name(std::span<const std::uint8_t> p, std::size_t pos) {
  while (pos < p.size()) {
    const std::uint8_t n = p[pos];
    if ((n & 0xC0) == 0xC0) return pos + 2;
    if (n == 0) return pos + 1;
    pos += n + 1u;
  }
  return p.size();
}

// Offset of the last record of a well-formed message with at least one record.
std::size_t last_record_offset(std::span<const std::uint8_t> p, std::size_t questions,
                               std::size_t records) {
  std::size_t pos = kHeaderSize;
  for (std::size_t i = 0; i < questions; ++i) pos = skip_name(p, pos) + 4;
  for (std::size_t i = 0; i + 1 < records; ++i) {
    pos = skip_name(p, pos);
    pos += 10u + read_u16(p, pos + 8);
  }
  return pos;
}

std::size_t count_tsig(const std::vector<Record>& records) {
  return static_cast<std::size_t>(std::count_if(
      records.begin(), records.end(), [](const Record& r) { return r.type == RRType::TSIG; }));
}

// The algorithm name in TSIG RDATA is never compressed (RFC 8945 §4.2, RFC 3597 §4).
Result<Name> read_algorithm(std::span<const std::uint8_t> rdata) {
  std::size_t pos = 0;
  while (pos < rdata.size() && rdata[pos] != 0) {
    if (rdata[pos] > kMaxLabelLength) return Error{"TSIG algorithm name is compressed"};
    pos += rdata[pos] + 1u;
  }
  if (pos >= rdata.size()) return Error{"TSIG algorithm name runs past the RDATA"};
  return Name::from_wire(rdata.first(pos + 1));
}

// RDATA after the algorithm name: Time Signed (6), Fudge (2), MAC Size (2), MAC, Original
// ID (2), Error (2), Other Len (2), Other Data, filling RDLENGTH exactly.
Result<TsigRecord> read_rdata(Name owner, std::span<const std::uint8_t> rdata) {
  auto algorithm = read_algorithm(rdata);
  if (!algorithm) return Error{algorithm.error()};
  std::span<const std::uint8_t> rest = rdata.subspan(algorithm->wire_length());
  if (rest.size() < 10) return Error{"TSIG RDATA cut short"};
  const std::size_t mac_size = read_u16(rest, 8);
  if (rest.size() < 10 + mac_size + 6) return Error{"TSIG MAC runs past the RDATA"};
  const std::size_t after_mac = 10 + mac_size;
  const std::size_t other_len = read_u16(rest, after_mac + 4);
  if (rest.size() != after_mac + 6 + other_len) return Error{"TSIG RDATA length mismatch"};
  TsigRecord record;
  record.key_name = std::move(owner);
  record.algorithm = std::move(*algorithm);
  record.time_signed = read_u48(rest, 0);
  record.fudge = read_u16(rest, 6);
  record.mac.assign(rest.begin() + 10, rest.begin() + static_cast<std::ptrdiff_t>(after_mac));
  record.original_id = read_u16(rest, after_mac);
  record.error = read_u16(rest, after_mac + 2);
  record.other_data.assign(rest.begin() + static_cast<std::ptrdiff_t>(after_mac + 6), rest.end());
  return record;
}

class Appender {
 public:
  Appender(std::span<std::uint8_t> buffer, std::size_t pos) : buf_(buffer), pos_(pos) {}
  std::size_t pos() const { return pos_; }
  void bytes(std::span<const std::uint8_t> data) {
    std::copy(data.begin(), data.end(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ += data.size();
  }
  void u16(std::uint64_t v) {
    buf_[pos_++] = static_cast<std::uint8_t>(v >> 8);
    buf_[pos_++] = static_cast<std::uint8_t>(v);
  }

 private:
  std::span<std::uint8_t> buf_;
  std::size_t pos_;
};

}  // namespace

Result<std::optional<LocatedTsig>> locate_tsig(std::span<const std::uint8_t> message) {
  auto decoded = decode_message(message);
  if (!decoded) return Error{decoded.error()};
  const std::size_t records =
      static_cast<std::size_t>(read_u16(message, 6)) + read_u16(message, 8) + read_u16(message, 10);
  const std::size_t tsigs = count_tsig(decoded->answer) + count_tsig(decoded->authority) +
                            count_tsig(decoded->additional);
  if (tsigs == 0) return std::optional<LocatedTsig>{};
  // RFC 8945 §5.1: one TSIG, the last record of the additional section.
  const std::size_t offset = last_record_offset(message, read_u16(message, 4), records);
  const std::size_t fixed = skip_name(message, offset);
  if (tsigs > 1 || read_u16(message, 10) == 0 ||
      read_u16(message, fixed) != static_cast<std::uint16_t>(RRType::TSIG))
    return Error{"TSIG is not the last record of the message"};
  if (read_u16(message, fixed + 2) != static_cast<std::uint16_t>(RRClass::ANY))
    return Error{"TSIG CLASS is not ANY"};
  if (read_u16(message, fixed + 4) != 0 || read_u16(message, fixed + 6) != 0)
    return Error{"TSIG TTL is not 0"};
  const Record& rr = decoded->additional.back();
  auto record = read_rdata(rr.owner, rr.rdata);
  if (!record) return Error{record.error()};
  return std::optional<LocatedTsig>{LocatedTsig{std::move(*record), offset}};
}

std::size_t append_tsig_record(std::span<std::uint8_t> buffer, std::size_t length,
                               const TsigRecord& record) {
  if (length < kHeaderSize || length > buffer.size()) return 0;
  const std::uint16_t arcount = read_u16(buffer, 10);
  const std::size_t rdlength =
      record.algorithm.wire_length() + 16 + record.mac.size() + record.other_data.size();
  const std::size_t size = record.key_name.wire_length() + 10 + rdlength;
  if (arcount == 0xFFFF || rdlength > 0xFFFF || buffer.size() - length < size) return 0;
  Appender out(buffer, length);
  out.bytes(record.key_name.wire());
  out.u16(static_cast<std::uint16_t>(RRType::TSIG));
  out.u16(static_cast<std::uint16_t>(RRClass::ANY));
  out.u16(0);  // TTL
  out.u16(0);
  out.u16(rdlength);
  out.bytes(record.algorithm.wire());
  out.u16(record.time_signed >> 32);
  out.u16(record.time_signed >> 16);
  out.u16(record.time_signed);
  out.u16(record.fudge);
  out.u16(record.mac.size());
  out.bytes(record.mac);
  out.u16(record.original_id);
  out.u16(record.error);
  out.u16(record.other_data.size());
  out.bytes(record.other_data);
  buffer[10] = static_cast<std::uint8_t>((arcount + 1) >> 8);
  buffer[11] = static_cast<std::uint8_t>(arcount + 1);
  return out.pos();
}

}  // namespace apex
