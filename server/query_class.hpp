// What a query and its response are, for the per-query metrics: the question's QTYPE, the
// response's RCODE and TC bit, read from the octets with bounds checks, never throwing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace apex::server {

// The QTYPEs counted one by one; every other QTYPE (and an unreadable question) is kOther.
enum class QtypeClass : std::uint8_t {
  kA,
  kAAAA,
  kCNAME,
  kMX,
  kNS,
  kSOA,
  kTXT,
  kSRV,
  kPTR,
  kCAA,
  kHTTPS,
  kSVCB,
  kDS,
  kDNSKEY,
  kANY,
  kAXFR,
  kIXFR,
  kOther
};
inline constexpr std::size_t kQtypeClasses = static_cast<std::size_t>(QtypeClass::kOther) + 1;

// The RCODEs counted one by one (RFC 1035 §4.1.1, RFC 2136 §2.2); others are kOther.
enum class RcodeClass : std::uint8_t {
  kNoError,
  kFormErr,
  kServFail,
  kNxDomain,
  kNotImp,
  kRefused,
  kNotAuth,
  kOther
};
inline constexpr std::size_t kRcodeClasses = static_cast<std::size_t>(RcodeClass::kOther) + 1;

// Label values as the exposition writes them.
extern const std::array<std::string_view, kQtypeClasses> kQtypeNames;
extern const std::array<std::string_view, kRcodeClasses> kRcodeNames;

// The QTYPE of the request's first question (RFC 1035 §4.1.2); kOther when the message has
// no question or it does not fit in the octets.
QtypeClass qtype_class(std::span<const std::uint8_t> request);

struct ResponseClass {
  RcodeClass rcode = RcodeClass::kOther;
  bool truncated = false;  // TC (RFC 1035 §4.1.1)
};

// The RCODE and TC bit of a response header; kOther when shorter than a header. Only the
// header's four RCODE bits are read: an extended RCODE (RFC 6891 §6.1.3) counts by its low bits.
ResponseClass response_class(std::span<const std::uint8_t> response);

}  // namespace apex::server
