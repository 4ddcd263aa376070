// Signs a whole zone once, as a snapshot is published (never per query): the DNSKEY RRset
// of its key set, an RRSIG by each signing key for every RRset the zone is authoritative
// for, and the NSEC or NSEC3 chain with its signatures (RFC 4035 §2).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "zones/nsec3_hash.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"
#include "zones/rrsig_signer.hpp"
#include "zones/signing_key.hpp"
#include "zones/zone_signature.hpp"

namespace apex {

enum class DenialOfExistence : std::uint8_t { kNsec, kNsec3 };

struct ZoneSigningOptions {
  DenialOfExistence denial = DenialOfExistence::kNsec;
  Nsec3Parameters nsec3;         // with kNsec3
  SignatureValidity validity{};  // the caller's clock, e.g. now - 1 h .. now + 14 days
  std::uint32_t dnskey_ttl = 3600;
  // When a kept signature serves again and how new ones are jittered; a zero renewal keeps
  // nothing and jitters nothing.
  SignatureRenewal renewal{};
  // The zone's signatures from its previous build (none: every RRset is signed): one whose
  // RRset and key are unchanged and that is not due for renewal is used again as it is.
  const ZoneSignatures* previous = nullptr;
};

// What a build did with signatures: how many it made and reused, every signature the zone
// now has (what to keep for the next build) and the earliest expiration among them.
struct SigningReport {
  std::size_t made = 0;
  std::size_t reused = 0;
  // Of those made, the renewals: signatures of RRsets whose previous signature covered the
  // same data under the same key, and was made again only because it was due or unusable.
  std::size_t renewed = 0;
  ZoneSignatures signatures;
  std::optional<std::uint32_t> earliest_expiration;
};

// The keys a zone is signed with at one moment: during a CSK rollover two keys may be
// published and the old one may still sign the apex key RRsets (RFC 7583 §3.3.1).
struct ZoneKeySet {
  std::vector<std::vector<std::uint8_t>> dnskeys;  // DNSKEY RDATAs published at the apex
  std::vector<const SigningKey*> signers;          // sign every RRset
  // Sign only the DNSKEY, CDS and CDNSKEY RRsets: a key a validator or the parent may still
  // trust through its DS (RFC 7344 §4.1: CDS/CDNSKEY signed by a key the DS names).
  std::vector<const SigningKey*> key_rrset_signers;
};

// The zone's records with DNSKEY, NSEC/NSEC3(PARAM) and RRSIG records added; RRSIG, NSEC,
// NSEC3 and NSEC3PARAM records already there are replaced. Signed: every RRset at or below
// the apex except at and below delegation points, where only DS is (RFC 4035 §2.2). ALIAS
// records pass through unsigned and out of the NSEC/NSEC3 bitmaps: the A/AAAA flattened from
// them (flattened_records) are among the records, signed like any other. An error when
// there is no SOA at the apex or when records lie outside the zone.
// Every RRset gets an RRSIG from each of keys.signers, the apex DNSKEY, CDS and CDNSKEY
// RRsets one from each of keys.key_rrset_signers as well. An error without a signer. With a
// report, it is told what was signed and reused.
Result<std::vector<Record>> sign_zone(const Name& apex, std::vector<Record> records,
                                      const ZoneKeySet& keys, const ZoneSigningOptions& options,
                                      SigningReport* report = nullptr);
// One CSK, published and signing everything.
Result<std::vector<Record>> sign_zone(const Name& apex, std::vector<Record> records,
                                      const SigningKey& key, const ZoneSigningOptions& options,
                                      SigningReport* report = nullptr);

}  // namespace apex
