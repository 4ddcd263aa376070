// The fields of SOA RDATA (RFC 1035 §3.3.13), for "zone show".
#pragma once

#include <cstdint>
#include <span>

#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex::admin {

struct SoaFields {
  Name mname;
  Name rname;
  std::uint32_t serial = 0;
  std::uint32_t refresh = 0;
  std::uint32_t retry = 0;
  std::uint32_t expire = 0;
  std::uint32_t minimum = 0;
};

Result<SoaFields> soa_fields(std::span<const std::uint8_t> rdata);

}  // namespace apex::admin
