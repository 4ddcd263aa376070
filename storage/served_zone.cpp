// Building a stored zone's snapshot, signed with the keys its key times make signing now.
#include "storage/served_zone.hpp"

#include <algorithm>
#include <string>

#include "storage/dnssec_key_timing.hpp"
#include "zones/ds_record.hpp"
#include "zones/flattened_alias.hpp"
#include "zones/signing_key.hpp"
#include "zones/zone_builder.hpp"
#include "zones/zone_signer.hpp"

namespace apex::storage {
namespace {

// The stored key, parsed; refused when it does not publish the DNSKEY stored with it (a
// row changed behind apexdns's back would otherwise sign under another key tag).
Result<SigningKey> parse_key(const DnssecKeyRow& row) {
  auto key = SigningKey::from_pkcs8(row.private_key, row.flags);
  if (!key) return Error{"DNSSEC key " + std::to_string(row.key_tag) + ": " + key.error()};
  if (static_cast<std::uint8_t>(key->algorithm()) != row.algorithm ||
      !std::equal(key->dnskey_rdata().begin(), key->dnskey_rdata().end(), row.dnskey_rdata.begin(),
                  row.dnskey_rdata.end()))
    return Error{"DNSSEC key " + std::to_string(row.key_tag) +
                 ": the private key does not match its stored DNSKEY"};
  return key;
}

// RFC 8078 §4: the CDS and CDNSKEY that ask the parent to remove its DS ("0 0 0 00" and
// "0 3 0 AA==").
const std::vector<std::uint8_t> kCdsDelete{0, 0, 0, 0, 0};
const std::vector<std::uint8_t> kCdnskeyDelete{0, 0, 3, 0, 0};

// The CDS (digest type 2, RFC 7344 §4 with RFC 8624 §3.3) and CDNSKEY records announcing
// the keys the parent should hold, or the delete records; stored ones give way to them,
// since apexdns keeps them in step with its keys.
Status add_parent_records(const Name& apex, const KeySetAt& set, std::uint32_t ttl,
                          std::vector<Record>& records) {
  std::erase_if(records, [&](const Record& r) {
    return (r.type == RRType::CDS || r.type == RRType::CDNSKEY) && r.owner == apex;
  });
  if (set.delete_ds) {
    records.push_back(Record{apex, RRType::CDS, RRClass::IN, ttl, kCdsDelete});
    records.push_back(Record{apex, RRType::CDNSKEY, RRClass::IN, ttl, kCdnskeyDelete});
    return Ok{};
  }
  for (const DnssecKeyRow* key : set.parent_ds) {
    auto ds = ds_rdata(apex, key->dnskey_rdata);
    if (!ds) return Error{"DNSSEC key " + std::to_string(key->key_tag) + ": " + ds.error()};
    records.push_back(Record{apex, RRType::CDS, RRClass::IN, ttl, std::move(*ds)});
    records.push_back(Record{apex, RRType::CDNSKEY, RRClass::IN, ttl, key->dnskey_rdata});
  }
  return Ok{};
}

std::uint32_t soa_ttl(const Name& apex, const std::vector<Record>& records) {
  for (const Record& r : records)
    if (r.type == RRType::SOA && r.owner == apex) return r.ttl;
  return ZoneSigningOptions{}.dnskey_ttl;  // no SOA: build_zone refused the zone already
}

// The published keys parsed, each once; signers and key_rrset_signers point into keys.
struct ParsedKeys {
  std::vector<SigningKey> keys;
  ZoneKeySet set;
};

Result<ParsedKeys> parse_keys(const KeySetAt& at) {
  ParsedKeys parsed;
  parsed.keys.reserve(at.published.size());
  for (const DnssecKeyRow* row : at.published) {
    auto key = parse_key(*row);
    if (!key) return Error{key.error()};
    parsed.keys.push_back(std::move(*key));
    parsed.set.dnskeys.push_back(row->dnskey_rdata);
  }
  auto parsed_key = [&](const DnssecKeyRow* row) {
    const auto at_row = std::find(at.published.begin(), at.published.end(), row);
    return &parsed.keys[static_cast<std::size_t>(at_row - at.published.begin())];
  };
  for (const DnssecKeyRow* row : at.signing) parsed.set.signers.push_back(parsed_key(row));
  for (const DnssecKeyRow* row : at.dnskey_only)
    parsed.set.key_rrset_signers.push_back(parsed_key(row));
  return parsed;
}

ZoneSigningOptions signing_options(const DnssecSettings& settings, const SigningPolicy& policy,
                                   std::int64_t now_s) {
  ZoneSigningOptions options;
  options.denial = settings.denial;
  // RFC 9276 §3.1: no extra iterations and an empty salt (Nsec3Parameters' defaults).
  options.nsec3.opt_out = settings.nsec3_opt_out;
  options.validity = signature_validity(policy, now_s);
  options.renewal.now = static_cast<std::uint32_t>(now_s);
  options.renewal.refresh_s = policy.refresh_s;
  options.renewal.jitter_s =
      static_cast<std::uint32_t>(policy.jitter_fraction * policy.signature_validity_s);
  return options;
}

}  // namespace

SignatureValidity signature_validity(const SigningPolicy& policy, std::int64_t now_s) {
  // Modulo 2^32: RRSIG times wrap (RFC 4034 §3.1.5).
  const auto inception = static_cast<std::uint32_t>(now_s - policy.inception_backdate_s);
  const auto expiration = static_cast<std::uint32_t>(now_s + policy.signature_validity_s);
  return SignatureValidity{inception, expiration};
}

std::optional<std::int64_t> renewal_due(const SigningReport& report, const SigningPolicy& policy,
                                        std::int64_t now_s) {
  if (!report.earliest_expiration) return std::nullopt;
  const auto now = static_cast<std::uint32_t>(now_s);
  return now_s + seconds_until(*report.earliest_expiration, now) - policy.refresh_s;
}

Result<ZonePtr> build_served_zone(const Name& apex, std::vector<Record> records,
                                  const ZoneDnssec* dnssec, const SigningPolicy& policy,
                                  std::int64_t now_s, ZoneSigning* signing,
                                  const AliasTable* aliases) {
  if (dnssec == nullptr) return build_zone(apex, std::move(records));
  const KeySetAt at = key_set_at(*dnssec, now_s);
  if (!at.is_signed()) return build_zone(apex, std::move(records));
  // The operator's records are checked as they are stored; the signer's records follow the
  // RFCs by construction.
  auto checked = build_zone(apex, records);
  if (!checked) return Error{checked.error()};
  auto keys = parse_keys(at);
  if (!keys) return Error{keys.error()};
  const AliasTable pending;
  for (Record& r : flattened_records(**checked, aliases ? *aliases : pending))
    records.push_back(std::move(r));
  ZoneSigningOptions options = signing_options(dnssec->settings, policy, now_s);
  options.dnskey_ttl = dnskey_ttl(soa_ttl(apex, records));
  if (signing != nullptr) options.previous = signing->previous;
  if (auto added = add_parent_records(apex, at, options.dnskey_ttl, records); !added)
    return Error{added.error()};
  auto signed_records = sign_zone(apex, std::move(records), keys->set, options,
                                  signing != nullptr ? &signing->report : nullptr);
  if (!signed_records) return Error{"not signed: " + signed_records.error()};
  return build_zone(apex, std::move(*signed_records), RecordOrigin::kSigner);
}

}  // namespace apex::storage
