// DNSKEY RDATA (RFC 4034 §2) and its key tag (RFC 4034 Appendix B).
#include "zones/dnskey_record.hpp"

namespace apex {

std::vector<std::uint8_t> dnskey_rdata(std::uint16_t flags, DnssecAlgorithm algorithm,
                                       std::span<const std::uint8_t> public_key) {
  std::vector<std::uint8_t> out;
  out.reserve(4 + public_key.size());
  out.push_back(static_cast<std::uint8_t>(flags >> 8));
  out.push_back(static_cast<std::uint8_t>(flags));
  out.push_back(kDnskeyProtocol);
  out.push_back(static_cast<std::uint8_t>(algorithm));
  out.insert(out.end(), public_key.begin(), public_key.end());
  return out;
}

Result<DnskeyFields> parse_dnskey(std::span<const std::uint8_t> rdata) {
  if (rdata.size() < 5) return Error{"DNSKEY RDATA shorter than 5 octets"};
  return DnskeyFields{static_cast<std::uint16_t>((rdata[0] << 8) | rdata[1]), rdata[2], rdata[3],
                      rdata.subspan(4)};
}

std::uint16_t key_tag(std::span<const std::uint8_t> dnskey_rdata) {
  std::uint32_t acc = 0;
  for (std::size_t i = 0; i < dnskey_rdata.size(); ++i)
    acc += (i & 1) ? dnskey_rdata[i] : std::uint32_t{dnskey_rdata[i]} << 8;
  acc += (acc >> 16) & 0xffff;
  return static_cast<std::uint16_t>(acc & 0xffff);
}

}  // namespace apex
