// DS RDATA for a DNSKEY (RFC 4034 §5): key tag, algorithm, digest type and the digest over
// the owner name and DNSKEY RDATA, SHA-256 (digest type 2, RFC 4509).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex {

inline constexpr std::uint8_t kDsDigestSha256 = 2;  // RFC 4509 §2.1

// digest = SHA-256(canonical owner name | DNSKEY RDATA) (RFC 4034 §5.1.4). Only digest
// type 2 is made: RFC 8624 §3.3 says DS with SHA-1 (type 1) MUST NOT be published.
Result<std::vector<std::uint8_t>> ds_rdata(const Name& owner,
                                           std::span<const std::uint8_t> dnskey_rdata,
                                           std::uint8_t digest_type = kDsDigestSha256);

// "OWNER TTL IN DS TAG ALG 2 HEX" as a master-file line, for handing to a parent.
std::string ds_master_line(const Name& owner, std::uint32_t ttl,
                           std::span<const std::uint8_t> ds_rdata);

}  // namespace apex
