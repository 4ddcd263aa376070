// Bounds-checked reads of the header and question for the per-query metrics.
#include "server/query_class.hpp"

namespace apex::server {
namespace {

constexpr std::size_t kHeader = 12;

QtypeClass of_type(std::uint16_t type) {
  switch (type) {
    case 1:
      return QtypeClass::kA;
    case 28:
      return QtypeClass::kAAAA;
    case 5:
      return QtypeClass::kCNAME;
    case 15:
      return QtypeClass::kMX;
    case 2:
      return QtypeClass::kNS;
    case 6:
      return QtypeClass::kSOA;
    case 16:
      return QtypeClass::kTXT;
    case 33:
      return QtypeClass::kSRV;
    case 12:
      return QtypeClass::kPTR;
    case 257:
      return QtypeClass::kCAA;
    case 65:
      return QtypeClass::kHTTPS;
    case 64:
      return QtypeClass::kSVCB;
    case 43:
      return QtypeClass::kDS;
    case 48:
      return QtypeClass::kDNSKEY;
    case 255:
      return QtypeClass::kANY;
    case 252:
      return QtypeClass::kAXFR;
    case 251:
      return QtypeClass::kIXFR;
    default:
      return QtypeClass::kOther;
  }
}

}  // namespace

const std::array<std::string_view, kQtypeClasses> kQtypeNames = {
    "A",   "AAAA",  "CNAME", "MX", "NS",     "SOA", "TXT",  "SRV",  "PTR",
    "CAA", "HTTPS", "SVCB",  "DS", "DNSKEY", "ANY", "AXFR", "IXFR", "other"};

const std::array<std::string_view, kRcodeClasses> kRcodeNames = {
    "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "NOTAUTH", "other"};

QtypeClass qtype_class(std::span<const std::uint8_t> request) {
  if (request.size() < kHeader) return QtypeClass::kOther;
  if ((request[4] << 8 | request[5]) == 0) return QtypeClass::kOther;  // QDCOUNT 0
  // QNAME: labels up to the root label, or a compression pointer (RFC 1035 §4.1.4), which a
  // question's first name cannot sensibly hold but which still ends the name's octets.
  std::size_t at = kHeader;
  for (;;) {
    if (at >= request.size()) return QtypeClass::kOther;
    const std::uint8_t length = request[at];
    if (length == 0) {
      ++at;
      break;
    }
    if ((length & 0xC0) == 0xC0) {
      at += 2;
      break;
    }
    if (length & 0xC0) return QtypeClass::kOther;  // reserved label types (RFC 6891 §5)
    at += 1 + length;
  }
  if (at + 2 > request.size()) return QtypeClass::kOther;
  return of_type(static_cast<std::uint16_t>(request[at] << 8 | request[at + 1]));
}

ResponseClass response_class(std::span<const std::uint8_t> response) {
  if (response.size() < kHeader) return {};
  const unsigned rcode = response[3] & 0x0F;
  ResponseClass out;
  out.truncated = (response[2] & 0x02) != 0;
  out.rcode = rcode <= 5   ? static_cast<RcodeClass>(rcode)
              : rcode == 9 ? RcodeClass::kNotAuth
                           : RcodeClass::kOther;
  return out;
}

}  // namespace apex::server
