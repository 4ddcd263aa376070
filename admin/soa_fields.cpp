// The fields of SOA RDATA (RFC 1035 §3.3.13): two uncompressed names, five 32-bit numbers.
#include "admin/soa_fields.hpp"

#include "zones/rdata_fields.hpp"

namespace apex::admin {
namespace {

Result<Name> take_name(std::span<const std::uint8_t>& rdata) {
  auto length = wire_name_length(rdata);
  if (!length) return Error{"SOA RDATA: " + length.error()};
  auto name = Name::from_wire(rdata.first(*length));
  if (!name) return Error{"SOA RDATA: " + name.error()};
  rdata = rdata.subspan(*length);
  return name;
}

}  // namespace

Result<SoaFields> soa_fields(std::span<const std::uint8_t> rdata) {
  auto mname = take_name(rdata);
  if (!mname) return Error{mname.error()};
  auto rname = take_name(rdata);
  if (!rname) return Error{rname.error()};
  if (rdata.size() != 20) return Error{"SOA RDATA: expected five 32-bit fields"};
  std::uint32_t numbers[5] = {};
  for (std::size_t i = 0; i < 20; ++i) numbers[i / 4] = (numbers[i / 4] << 8) | rdata[i];
  return SoaFields{std::move(mname).value(),
                   std::move(rname).value(),
                   numbers[0],
                   numbers[1],
                   numbers[2],
                   numbers[3],
                   numbers[4]};
}

}  // namespace apex::admin
