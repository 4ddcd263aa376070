// DS RDATA for a DNSKEY (RFC 4034 §5.1, RFC 4509 §2).
#include "zones/ds_record.hpp"

#include <openssl/evp.h>

#include "zones/dnskey_record.hpp"
#include "zones/rdata.hpp"

namespace apex {

Result<std::vector<std::uint8_t>> ds_rdata(const Name& owner,
                                           std::span<const std::uint8_t> dnskey_rdata,
                                           std::uint8_t digest_type) {
  if (digest_type != kDsDigestSha256) return Error{"only DS digest type 2 (SHA-256) is made"};
  if (dnskey_rdata.size() < 5) return Error{"DNSKEY RDATA shorter than 5 octets"};
  // RFC 4034 §5.1.4: the owner name in canonical form (RFC 4034 §6.2: lower-cased).
  Name canonical = owner.lowercased();
  std::vector<std::uint8_t> input(canonical.wire().begin(), canonical.wire().end());
  input.insert(input.end(), dnskey_rdata.begin(), dnskey_rdata.end());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    return Error{"OpenSSL could not compute SHA-256"};
  const std::uint16_t tag = key_tag(dnskey_rdata);
  std::vector<std::uint8_t> out{static_cast<std::uint8_t>(tag >> 8), static_cast<std::uint8_t>(tag),
                                dnskey_rdata[3], digest_type};
  out.insert(out.end(), digest, digest + length);
  return out;
}

std::string ds_master_line(const Name& owner, std::uint32_t ttl,
                           std::span<const std::uint8_t> ds_rdata) {
  return owner.to_text() + " " + std::to_string(ttl) + " IN DS " +
         rdata_to_text(RRType::DS, ds_rdata) + "\n";
}

}  // namespace apex
