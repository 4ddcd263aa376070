// Signatures kept between builds: the digest of what they cover, the jitter of new ones and
// the test for keeping one (RFC 6781 §4.4.2).
#include "zones/zone_signature.hpp"

#include <openssl/evp.h>

#include "zones/canonical_rrset.hpp"

namespace apex {
namespace {

void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// FNV-1a over the octets, then SplitMix64's finalizer so that every bit of the result
// depends on every input octet (the jitter takes it modulo a span of seconds).
class Hash64 {
 public:
  void add(std::span<const std::uint8_t> octets) {
    for (std::uint8_t o : octets) state_ = (state_ ^ o) * 0x100000001b3ULL;
  }
  void add(std::uint32_t v) {
    const std::uint8_t octets[4] = {
        static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
        static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    add(octets);
  }
  std::uint64_t value() const {
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

// SHA-256 fetched once: OpenSSL 3 looks EVP_sha256() up in its provider store, under a lock,
// at every digest otherwise, and a load digests every RRset of every signed zone.
const EVP_MD* sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  return md != nullptr ? md : EVP_sha256();
}

}  // namespace

RRsetDigest rrset_digest(std::span<const std::uint8_t> dnskey_rdata, const RRsetView& rrset) {
  const Name owner = rrset.owner.lowercased();
  std::vector<std::uint8_t> input(dnskey_rdata.begin(), dnskey_rdata.end());
  for (const auto& rdata : canonical_rdata_set(rrset.type, rrset.rdatas)) {
    input.insert(input.end(), owner.wire().begin(), owner.wire().end());
    put_u16(input, static_cast<std::uint16_t>(rrset.type));
    put_u16(input, static_cast<std::uint16_t>(rrset.rrclass));
    put_u32(input, rrset.ttl);
    put_u16(input, static_cast<std::uint16_t>(rdata.size()));
    input.insert(input.end(), rdata.begin(), rdata.end());
  }
  RRsetDigest digest{};
  unsigned int length = 0;
  // EVP_Digest fails only when OpenSSL cannot allocate; a zeroed digest then matches no
  // stored one, so the RRset is signed anew.
  if (EVP_Digest(input.data(), input.size(), digest.data(), &length, sha256(), nullptr) != 1 ||
      length != digest.size())
    digest.fill(0);
  return digest;
}

std::uint32_t jittered_expiration(const Name& apex, const Name& owner, RRType type,
                                  SignatureValidity validity, const SignatureRenewal& renewal) {
  if (renewal.jitter_s == 0) return validity.expiration;
  Hash64 hash;
  hash.add(apex.lowercased().wire());
  hash.add(owner.lowercased().wire());
  hash.add(static_cast<std::uint32_t>(type));
  hash.add(validity.inception);
  return validity.expiration - static_cast<std::uint32_t>(hash.value() % renewal.jitter_s);
}

std::int64_t seconds_until(std::uint32_t time, std::uint32_t now) {
  return static_cast<std::int32_t>(time - now);
}

std::optional<std::uint32_t> rrsig_expiration(std::span<const std::uint8_t> rrsig) {
  std::span<const std::uint8_t> signature;
  auto fields = parse_rrsig(rrsig, signature);
  if (!fields) return std::nullopt;
  return fields->expiration;
}

bool reusable(const StoredSignature& stored, const RRsetDigest& digest, const Name& apex,
              std::uint8_t algorithm, const SignatureRenewal& renewal) {
  if (stored.digest != digest) return false;
  std::span<const std::uint8_t> signature;
  auto fields = parse_rrsig(stored.rrsig, signature);
  if (!fields || signature.empty()) return false;
  if (fields->algorithm != algorithm || !(fields->signer == apex)) return false;
  if (seconds_until(fields->inception, renewal.now) > 0) return false;
  return seconds_until(fields->expiration, renewal.now) > renewal.refresh_s;
}

}  // namespace apex
