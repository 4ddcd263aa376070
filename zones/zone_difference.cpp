// Journal versions in and out of their message form (see zone_difference.hpp).
#include "zones/zone_difference.hpp"

#include <algorithm>

#include "zones/message_decoder.hpp"
#include "zones/soa_serial.hpp"
#include "zones/wire_writer.hpp"

namespace apex {
namespace {

constexpr std::size_t kMaxRecords = 65535;  // ANCOUNT is 16 bits (RFC 1035 §4.1.1)

std::uint32_t serial_or_zero(const Record& soa) {
  auto serial = soa_serial(soa.rdata);
  return serial ? *serial : 0;
}

std::size_t encoded_size(const Record& r) {
  return r.owner.wire_length() + 10 + r.rdata.size();
}

void write_plain(WireWriter& w, const Record& r) {
  w.bytes(r.owner.wire().data(), r.owner.wire_length());
  w.u16(static_cast<std::uint16_t>(r.type));
  w.u16(static_cast<std::uint16_t>(r.rrclass));
  w.u32(r.ttl);
  w.u16(static_cast<std::uint16_t>(r.rdata.size()));
  w.bytes(r.rdata.data(), r.rdata.size());
}

bool is_soa(const Record& r) {
  return r.type == RRType::SOA;
}

}  // namespace

std::uint32_t ZoneDifference::from() const {
  return serial_or_zero(old_soa);
}
std::uint32_t ZoneDifference::to() const {
  return serial_or_zero(new_soa);
}

Result<std::vector<std::uint8_t>> encode_difference(const ZoneDifference& d) {
  const std::size_t count = 2 + d.deleted.size() + d.added.size();
  if (count > kMaxRecords)
    return Error{"a version of " + std::to_string(count) +
                 " records is more than a journal "
                 "entry holds (65,535)"};
  std::size_t size = kHeaderSize + encoded_size(d.old_soa) + encoded_size(d.new_soa);
  for (const Record& r : d.deleted) size += encoded_size(r);
  for (const Record& r : d.added) size += encoded_size(r);
  std::vector<std::uint8_t> out(size);
  WireWriter w(out.data(), out.size());
  w.u16(0);        // ID
  w.u16(kFlagQR);  // a response: what a transfer message is
  w.u16(0);        // QDCOUNT
  w.u16(static_cast<std::uint16_t>(count));
  w.u16(0);
  w.u16(0);
  write_plain(w, d.old_soa);
  for (const Record& r : d.deleted) write_plain(w, r);
  write_plain(w, d.new_soa);
  for (const Record& r : d.added) write_plain(w, r);
  if (w.failed()) return Error{"journal entry larger than computed"};
  return out;
}

Result<ZoneDifference> decode_difference(std::span<const std::uint8_t> message) {
  auto decoded = decode_message(message);
  if (!decoded) return Error{"journal entry: " + decoded.error()};
  std::vector<Record>& records = decoded->answer;
  if (records.size() < 2 || !is_soa(records.front()))
    return Error{"journal entry: does not start with an SOA"};
  const auto second = std::find_if(records.begin() + 1, records.end(), is_soa);
  if (second == records.end()) return Error{"journal entry: no SOA of the new version"};
  if (std::find_if(second + 1, records.end(), is_soa) != records.end())
    return Error{"journal entry: more than two SOA records"};
  if (!(second->owner == records.front().owner))
    return Error{"journal entry: the two SOA records have different owners"};
  if (std::any_of(records.begin(), records.end(),
                  [](const Record& r) { return r.rrclass != RRClass::IN; }))
    return Error{"journal entry: a record not of class IN"};
  ZoneDifference d;
  d.old_soa = std::move(records.front());
  d.deleted.assign(std::make_move_iterator(records.begin() + 1), std::make_move_iterator(second));
  d.new_soa = std::move(*second);
  d.added.assign(std::make_move_iterator(second + 1), std::make_move_iterator(records.end()));
  return d;
}

}  // namespace apex
