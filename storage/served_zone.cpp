// Building a stored zone's snapshot, signed when the zone has an active key.
#include "storage/served_zone.hpp"

#include <string>

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
                                  std::int64_t now_s, ZoneSigning* signing) {
  const DnssecKeyRow* row = dnssec != nullptr ? dnssec->active_key() : nullptr;
  if (row == nullptr) return build_zone(apex, std::move(records));
  // The operator's records are checked as they are stored; the signer's records follow the
  // RFCs by construction.
  if (auto checked = build_zone(apex, records); !checked) return Error{checked.error()};
  auto key = parse_key(*row);
  if (!key) return Error{key.error()};
  ZoneSigningOptions options = signing_options(dnssec->settings, policy, now_s);
  if (signing != nullptr) options.previous = signing->previous;
  auto signed_records = sign_zone(apex, std::move(records), *key, options,
                                  signing != nullptr ? &signing->report : nullptr);
  if (!signed_records) return Error{"not signed: " + signed_records.error()};
  return build_zone(apex, std::move(*signed_records));
}

}  // namespace apex::storage
