// A zone's signatures as they are kept between builds of its snapshot, and when one of them
// may serve again rather than be made anew (RFC 6781 §4.4.2: signatures are renewed before
// they expire, not every time the zone is published).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "zones/name.hpp"
#include "zones/rrsig_signer.hpp"
#include "zones/rrtype.hpp"

namespace apex {

// Which signature: the RRset's owner (lower-cased wire form), the type it covers and the
// key tag of the key that made it (RFC 4034 §3.1).
struct SignatureKey {
  std::vector<std::uint8_t> owner;
  RRType type_covered = RRType::A;
  std::uint16_t key_tag = 0;
  auto operator<=>(const SignatureKey&) const = default;
};

// SHA-256 of what a signature covers: the signing key's DNSKEY RDATA, then the RRset in
// canonical form (RFC 4034 §6.2: lower-cased owner, type, class, TTL, each canonical RDATA in
// canonical order, §6.3). Equal digests: the same RRset under the same key.
using RRsetDigest = std::array<std::uint8_t, 32>;

struct StoredSignature {
  std::vector<std::uint8_t> rrsig;  // the RRSIG RDATA (RFC 4034 §3.1)
  RRsetDigest digest{};
  friend bool operator==(const StoredSignature&, const StoredSignature&) = default;
};

// Every signature of a zone by key: those kept from the previous build, or those of a build.
using ZoneSignatures = std::map<SignatureKey, StoredSignature>;

RRsetDigest rrset_digest(std::span<const std::uint8_t> dnskey_rdata, const RRsetView& rrset);

// When signatures are renewed (RFC 6781 §4.4.2.3), all in RRSIG time (seconds since 1970
// modulo 2^32, compared in serial arithmetic, RFC 4034 §3.1.5).
struct SignatureRenewal {
  std::uint32_t now = 0;
  // A signature is kept while more than refresh_s of its validity remains.
  std::uint32_t refresh_s = 0;
  // New signatures expire up to jitter_s before the validity's expiration, by an amount drawn
  // from a hash of the zone, the RRset and the inception: deterministic, yet different per
  // RRset and per signing, so that RRsets signed together come due at different moments.
  std::uint32_t jitter_s = 0;
};

// The expiration a signature of (owner, type) made now gets: validity.expiration less the
// jitter.
std::uint32_t jittered_expiration(const Name& apex, const Name& owner, RRType type,
                                  SignatureValidity validity, const SignatureRenewal& renewal);

// The stored signature when it can serve again: its digest is the one of the RRset under the
// key now, it was made by that key's algorithm for this zone, its inception has passed and
// more than refresh_s of its validity remains. Stored bytes that don't parse are never reused.
bool reusable(const StoredSignature& stored, const RRsetDigest& digest, const Name& apex,
              std::uint8_t algorithm, const SignatureRenewal& renewal);

// The expiration of an RRSIG RDATA; none when it does not parse.
std::optional<std::uint32_t> rrsig_expiration(std::span<const std::uint8_t> rrsig);

// Seconds from now to time in serial arithmetic (RFC 1982, RFC 4034 §3.1.5): negative when
// time has passed.
std::int64_t seconds_until(std::uint32_t time, std::uint32_t now);

}  // namespace apex
