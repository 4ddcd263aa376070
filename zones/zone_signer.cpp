// Signs a whole zone at publication: DNSKEY, RRSIGs and the denial-of-existence chain
// (RFC 4035 §2).
#include "zones/zone_signer.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "zones/nsec3_chain.hpp"
#include "zones/nsec_chain.hpp"

namespace apex {
namespace {

using RRsetKey = std::pair<Name, RRType>;

struct RRsetKeyLess {
  bool operator()(const RRsetKey& a, const RRsetKey& b) const {
    if (auto c = a.first.canonical_compare(b.first); c != 0) return c < 0;
    return a.second < b.second;
  }
};

struct RRset {
  Name owner;  // as first written
  RRClass rrclass = RRClass::IN;
  std::uint32_t ttl = kMaxTtl;
  std::vector<std::vector<std::uint8_t>> rdatas;
};

using RRsets = std::map<RRsetKey, RRset, RRsetKeyLess>;

bool is_generated(RRType type) {
  return type == RRType::RRSIG || type == RRType::NSEC || type == RRType::NSEC3 ||
         type == RRType::NSEC3PARAM;
}

// Delegation points: names below the apex with NS (RFC 1034 §4.2.1).
std::set<Name, CanonicalLess> zone_cuts(const RRsets& rrsets, const Name& apex) {
  std::set<Name, CanonicalLess> cuts;
  for (const auto& [key, rrset] : rrsets)
    if (key.second == RRType::NS && !(key.first == apex)) cuts.insert(key.first);
  return cuts;
}

// Below a delegation point: glue or occluded data, neither signed nor in the chain.
bool is_below_cut(const Name& owner, const Name& apex, const std::set<Name, CanonicalLess>& cuts) {
  for (Name up = owner.parent(); !(up == apex) && up.is_subdomain_of(apex); up = up.parent())
    if (cuts.count(up)) return true;
  return false;
}

// RFC 4035 §2.2: at a delegation point only DS (and the chain's own records) are signed. The
// private ALIAS type never goes on the wire: the A/AAAA flattened from it are signed instead.
bool is_signed(const RRsetKey& key, const Name& apex, const std::set<Name, CanonicalLess>& cuts) {
  if (key.second == RRType::ALIAS || is_below_cut(key.first, apex, cuts)) return false;
  return !cuts.count(key.first) || key.second == RRType::DS;
}

Status group(const Name& apex, std::vector<Record>& records, RRsets& rrsets) {
  for (auto& r : records) {
    if (is_generated(r.type)) continue;
    if (!r.owner.is_subdomain_of(apex))
      return Error{r.owner.to_text() + " is outside the zone " + apex.to_text()};
    RRset& set = rrsets[{r.owner.lowercased(), r.type}];
    if (set.rdatas.empty()) set.owner = r.owner, set.rrclass = r.rrclass;
    // RFC 2181 §5.2: one TTL per RRset; the smallest is the one signed and served.
    set.ttl = std::min(set.ttl, r.ttl);
    set.rdatas.push_back(std::move(r.rdata));
  }
  return Ok{};
}

// RFC 9077 §3: NSEC and NSEC3 TTL is min(SOA TTL, SOA MINIMUM).
std::uint32_t negative_ttl(const RRset& soa) {
  const auto& rdata = soa.rdatas.front();
  const std::size_t at = rdata.size() - 4;
  std::uint32_t minimum = (std::uint32_t{rdata[at]} << 24) | (std::uint32_t{rdata[at + 1]} << 16) |
                          (std::uint32_t{rdata[at + 2]} << 8) | rdata[at + 3];
  return std::min(soa.ttl, minimum);
}

std::vector<OwnerTypes> chain_owners(const RRsets& rrsets, const Name& apex,
                                     const std::set<Name, CanonicalLess>& cuts) {
  std::vector<OwnerTypes> owners;
  for (const auto& [key, rrset] : rrsets) {
    // An ALIAS is never on the wire: an owner holding only an ALIAS that serves nothing now
    // has no data, and is out of the chain (an empty non-terminal when names lie below it).
    if (key.second == RRType::ALIAS || is_below_cut(key.first, apex, cuts)) continue;
    const bool cut = cuts.count(key.first) != 0;
    if (cut && key.second != RRType::NS && key.second != RRType::DS) continue;  // glue
    if (owners.empty() || !(owners.back().owner == key.first))
      owners.push_back(OwnerTypes{rrset.owner, {}});
    owners.back().types.push_back(key.second);
  }
  return owners;
}

// The key signing a zone and what it is told about the signatures.
struct Signer {
  const SigningKey& key;
  const Name& apex;
  const ZoneSigningOptions& options;
  SigningReport* report;
};

struct Signature {
  std::vector<std::uint8_t> rrsig;
  bool made = false;  // false: the previous build's, used again
};

// The RRset's signature: the previous one when it can serve again, else a new one whose
// expiration carries the RRset's jitter.
Result<Signature> signature_for(const Signer& s, const RRsetView& view, const RRsetDigest& digest,
                                const SignatureKey& id) {
  const SignatureRenewal& renewal = s.options.renewal;
  if (s.options.previous != nullptr) {
    auto found = s.options.previous->find(id);
    if (found != s.options.previous->end() &&
        reusable(found->second, digest, s.apex, static_cast<std::uint8_t>(s.key.algorithm()),
                 renewal))
      return Signature{found->second.rrsig, false};
  }
  SignatureValidity validity = s.options.validity;
  validity.expiration = jittered_expiration(s.apex, view.owner, view.type, validity, renewal);
  auto rrsig = sign_rrset(s.key, s.apex, view, validity);
  if (!rrsig) return Error{rrsig.error()};
  return Signature{std::move(*rrsig), true};
}

void note(const Signer& s, SignatureKey id, const std::vector<std::uint8_t>& rrsig,
          const RRsetDigest& digest, bool made) {
  SigningReport& report = *s.report;
  ++(made ? report.made : report.reused);
  if (made && s.options.previous != nullptr) {
    auto found = s.options.previous->find(id);
    if (found != s.options.previous->end() && found->second.digest == digest) ++report.renewed;
  }
  if (auto expiration = rrsig_expiration(rrsig)) {
    const auto now = s.options.renewal.now;
    if (!report.earliest_expiration ||
        seconds_until(*expiration, now) < seconds_until(*report.earliest_expiration, now))
      report.earliest_expiration = *expiration;
  }
  report.signatures.insert_or_assign(std::move(id), StoredSignature{rrsig, digest});
}

Status sign_into(const Signer& s, const RRset& set, RRType type, std::vector<Record>& out) {
  const RRsetView view{set.owner, type, set.rrclass, set.ttl, set.rdatas};
  const RRsetDigest digest = rrset_digest(s.key.dnskey_rdata(), view);
  const Name owner = set.owner.lowercased();
  SignatureKey id{{owner.wire().begin(), owner.wire().end()}, type, s.key.key_tag()};
  auto rrsig = signature_for(s, view, digest, id);
  if (!rrsig) return Error{set.owner.to_text() + " " + rrtype_to_text(type) + ": " + rrsig.error()};
  if (s.report != nullptr) note(s, std::move(id), rrsig->rrsig, digest, rrsig->made);
  out.push_back(Record{set.owner, RRType::RRSIG, set.rrclass, set.ttl, std::move(rrsig->rrsig)});
  return Ok{};
}

bool is_key_rrset(const RRsetKey& key, const Name& apex) {
  const bool key_type =
      key.second == RRType::DNSKEY || key.second == RRType::CDS || key.second == RRType::CDNSKEY;
  return key_type && key.first == apex.lowercased();
}

// One RRSIG per signing key; the apex key RRsets also one per key_rrset_signers.
Status sign_with_keys(const ZoneKeySet& keys, const Name& apex, const ZoneSigningOptions& options,
                      SigningReport* report, const RRset& set, const RRsetKey& rrset_key,
                      std::vector<Record>& out) {
  for (const SigningKey* key : keys.signers)
    if (auto ok = sign_into(Signer{*key, apex, options, report}, set, rrset_key.second, out); !ok)
      return ok;
  if (!is_key_rrset(rrset_key, apex)) return Ok{};
  for (const SigningKey* key : keys.key_rrset_signers)
    if (auto ok = sign_into(Signer{*key, apex, options, report}, set, rrset_key.second, out); !ok)
      return ok;
  return Ok{};
}

void add_record(RRsets& rrsets, const Name& owner, RRType type, std::uint32_t ttl,
                std::vector<std::uint8_t> rdata) {
  RRset& set = rrsets[{owner.lowercased(), type}];
  auto& rdatas = set.rdatas;
  if (std::find(rdatas.begin(), rdatas.end(), rdata) != rdatas.end()) return;
  if (rdatas.empty()) set.owner = owner;
  set.ttl = std::min(set.ttl, ttl);
  rdatas.push_back(std::move(rdata));
}

}  // namespace

Result<std::vector<Record>> sign_zone(const Name& apex, std::vector<Record> records,
                                      const SigningKey& key, const ZoneSigningOptions& options,
                                      SigningReport* report) {
  ZoneKeySet keys{{{key.dnskey_rdata().begin(), key.dnskey_rdata().end()}}, {&key}, {}};
  return sign_zone(apex, std::move(records), keys, options, report);
}

Result<std::vector<Record>> sign_zone(const Name& apex, std::vector<Record> records,
                                      const ZoneKeySet& keys, const ZoneSigningOptions& options,
                                      SigningReport* report) {
  if (keys.signers.empty()) return Error{apex.to_text() + ": no key signs the zone"};
  RRsets rrsets;
  if (auto ok = group(apex, records, rrsets); !ok) return Error{ok.error()};
  auto soa = rrsets.find({apex.lowercased(), RRType::SOA});
  if (soa == rrsets.end()) return Error{apex.to_text() + " has no SOA"};
  const std::uint32_t chain_ttl = negative_ttl(soa->second);
  for (const auto& dnskey : keys.dnskeys)
    add_record(rrsets, apex, RRType::DNSKEY, options.dnskey_ttl, dnskey);
  if (options.denial == DenialOfExistence::kNsec3)
    add_record(rrsets, apex, RRType::NSEC3PARAM, chain_ttl, nsec3param_rdata(options.nsec3));

  const auto cuts = zone_cuts(rrsets, apex);
  const auto owners = chain_owners(rrsets, apex, cuts);
  std::vector<Record> chain;
  if (options.denial == DenialOfExistence::kNsec) {
    chain = nsec_chain(owners, chain_ttl);
  } else {
    auto nsec3 = nsec3_chain(owners, apex, options.nsec3, chain_ttl);
    if (!nsec3) return Error{nsec3.error()};
    chain = std::move(*nsec3);
  }

  std::vector<Record> out;
  out.reserve(records.size() * 2 + chain.size() * 2);
  for (auto& [rrset_key, set] : rrsets) {
    for (auto& rdata : set.rdatas)
      out.push_back(Record{set.owner, rrset_key.second, set.rrclass, set.ttl, rdata});
    if (!is_signed(rrset_key, apex, cuts)) continue;
    if (auto ok = sign_with_keys(keys, apex, options, report, set, rrset_key, out); !ok)
      return Error{ok.error()};
  }
  for (auto& record : chain) {
    RRset single{record.owner, record.rrclass, record.ttl, {record.rdata}};
    for (const SigningKey* key : keys.signers)
      if (auto ok = sign_into(Signer{*key, apex, options, report}, single, record.type, out); !ok)
        return Error{ok.error()};
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace apex
