// Checks an RRSIG over an RRset with a DNSKEY (RFC 4035 §5.3).
#include "zones/rrsig_verifier.hpp"

#include "zones/dnskey_record.hpp"
#include "zones/dnssec_public_key.hpp"

namespace apex {
namespace {

// Serial number arithmetic on 32 bits (RFC 1982 §3.2, RFC 4034 §3.1.5): a is before or at b.
bool not_after(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(b - a) >= 0;
}

// RFC 4035 §5.3.2: a signature over a wildcard expansion covers "*." + the rightmost
// `labels` labels of the owner.
Result<Name> signed_owner(const Name& owner, std::uint8_t labels) {
  Name base = owner;
  while (base.label_count() > labels) base = base.parent();
  if (owner.label_count() == labels) return base;
  return base.prepend("*");
}

Status check_fields(const RrsigFields& sig, const Name& dnskey_owner, const DnskeyFields& key,
                    std::uint16_t tag, const RRsetView& rrset, std::uint32_t now) {
  if (sig.type_covered != rrset.type) return Error{"type covered is not the RRset's type"};
  if (!(sig.signer == dnskey_owner)) return Error{"signer name is not the DNSKEY's owner"};
  if (!rrset.owner.is_subdomain_of(sig.signer)) return Error{"signer does not enclose owner"};
  if (sig.labels > rrsig_labels(rrset.owner)) return Error{"labels exceed the owner's"};
  if (!not_after(sig.inception, now)) return Error{"signature not yet valid"};
  if (!not_after(now, sig.expiration)) return Error{"signature expired"};
  if (sig.key_tag != tag) return Error{"key tag does not match the DNSKEY"};
  if (sig.algorithm != key.algorithm) return Error{"algorithm does not match the DNSKEY"};
  if (key.protocol != kDnskeyProtocol || !(key.flags & kDnskeyZoneFlag))
    return Error{"the DNSKEY is not a zone key"};
  return Ok{};
}

}  // namespace

Status verify_rrsig(std::span<const std::uint8_t> rrsig_rdata, const Name& dnskey_owner,
                    std::span<const std::uint8_t> dnskey_rdata, const RRsetView& rrset,
                    std::uint32_t now) {
  std::span<const std::uint8_t> signature;
  auto sig = parse_rrsig(rrsig_rdata, signature);
  if (!sig) return Error{sig.error()};
  auto key = parse_dnskey(dnskey_rdata);
  if (!key) return Error{key.error()};
  if (auto ok = check_fields(*sig, dnskey_owner, *key, key_tag(dnskey_rdata), rrset, now); !ok)
    return ok;
  auto algorithm = dnssec_algorithm_from_number(key->algorithm);
  if (!algorithm) return Error{"unsupported algorithm " + std::to_string(key->algorithm)};
  auto public_key = public_key_from_dnskey(*algorithm, key->public_key);
  if (!public_key) return Error{public_key.error()};
  auto owner = signed_owner(rrset.owner, sig->labels);
  if (!owner) return Error{owner.error()};
  auto data = rrsig_signed_data(rrsig_fields_rdata(*sig), *owner, rrset, sig->original_ttl);
  if (!verify_dnssec_signature(*algorithm, **public_key, data, signature))
    return Error{"the signature does not verify"};
  return Ok{};
}

}  // namespace apex
