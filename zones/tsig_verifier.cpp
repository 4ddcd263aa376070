// TSIG verification of requests and responses (RFC 8945 §5.2, §5.4).
#include "zones/tsig_verifier.hpp"

#include <algorithm>

#include "zones/hmac.hpp"
#include "zones/tsig_digest.hpp"

namespace apex {
namespace {

TsigVerdict fail(TsigVerdict verdict, Rcode rcode, TsigError error = TsigError::NoError) {
  verdict.status = TsigStatus::kError;
  verdict.rcode = rcode;
  verdict.error = error;
  return verdict;
}

// Finds and parses the TSIG; a verdict of kUnsigned or kError when there is nothing to check.
std::optional<TsigVerdict> locate(std::span<const std::uint8_t> message, TsigVerdict& verdict) {
  verdict.tsig_offset = message.size();
  auto located = locate_tsig(message);
  if (!located) return fail(verdict, Rcode::FormErr);
  if (!*located) return verdict;
  verdict.tsig = std::move((*located)->record);
  verdict.tsig_offset = (*located)->offset;
  return std::nullopt;
}

bool key_matches(const TsigKey& key, const TsigRecord& tsig) {
  return tsig.key_name == key.name && tsig.algorithm == tsig_algorithm_name(key.algorithm);
}

// RFC 8945 §5.2.2.1: a MAC longer than the hash, or shorter than the larger of 10 octets and
// half the hash, is malformed.
bool mac_size_allowed(std::size_t size, std::size_t full) {
  return size <= full && size >= std::max<std::size_t>(10, full / 2);
}

bool within_fudge(const TsigRecord& tsig, std::uint64_t now) {
  const std::uint64_t skew =
      now > tsig.time_signed ? now - tsig.time_signed : tsig.time_signed - now;
  return skew <= tsig.fudge;
}

// The checks once the key is known: MAC size, MAC, time, truncation policy.
TsigVerdict check_signature(TsigVerdict verdict, std::span<const std::uint8_t> message,
                            const TsigKey& key, std::span<const std::uint8_t> prior_mac,
                            TsigDigestScope scope, std::uint64_t now, TsigPolicy policy) {
  const TsigRecord& tsig = *verdict.tsig;
  const std::size_t full = tsig_mac_length(key.algorithm);
  if (!mac_size_allowed(tsig.mac.size(), full)) return fail(verdict, Rcode::FormErr);
  const std::uint16_t arcount = static_cast<std::uint16_t>((message[10] << 8 | message[11]) - 1);
  auto expected =
      tsig_digest(key, prior_mac, message.first(verdict.tsig_offset), arcount, tsig, scope);
  // §5.2.2.1: a truncated MAC is compared with as many leading octets of the computed one.
  if (expected.size() != full || !macs_equal(std::span(expected).first(tsig.mac.size()), tsig.mac))
    return fail(verdict, Rcode::NotAuth, TsigError::BadSig);
  verdict.key = &key;
  if (!within_fudge(tsig, now)) return fail(verdict, Rcode::NotAuth, TsigError::BadTime);
  if (tsig.mac.size() < full && !policy.accept_truncated_macs)
    return fail(verdict, Rcode::NotAuth, TsigError::BadTrunc);
  verdict.status = TsigStatus::kValid;
  return verdict;
}

}  // namespace

TsigVerdict verify_request(std::span<const std::uint8_t> message, const TsigKeyring& keyring,
                           std::uint64_t now, TsigPolicy policy) {
  TsigVerdict verdict;
  if (auto done = locate(message, verdict)) return *done;
  const TsigKey* key = keyring.find(verdict.tsig->key_name);
  // §5.2.1: an unknown key, or a known key under another algorithm.
  if (key == nullptr || !key_matches(*key, *verdict.tsig))
    return fail(std::move(verdict), Rcode::NotAuth, TsigError::BadKey);
  return check_signature(std::move(verdict), message, *key, {}, TsigDigestScope::kAllVariables, now,
                         policy);
}

TsigResponseVerifier::TsigResponseVerifier(const TsigKey& key,
                                           std::span<const std::uint8_t> request_mac,
                                           TsigPolicy policy)
    : key_(&key), prior_mac_(request_mac.begin(), request_mac.end()), policy_(policy) {}

TsigVerdict TsigResponseVerifier::verify(std::span<const std::uint8_t> message, std::uint64_t now) {
  TsigVerdict verdict;
  if (auto done = locate(message, verdict)) return *done;
  // §5.4.1-§5.4.2: the peer's own TSIG errors come with an empty or unverifiable MAC.
  if (verdict.tsig->error != 0) {
    verdict.status = TsigStatus::kPeerError;
    verdict.error = static_cast<TsigError>(verdict.tsig->error);
    return verdict;
  }
  if (!key_matches(*key_, *verdict.tsig))
    return fail(std::move(verdict), Rcode::NotAuth, TsigError::BadKey);
  const auto scope = first_ ? TsigDigestScope::kAllVariables : TsigDigestScope::kTimersOnly;
  verdict = check_signature(std::move(verdict), message, *key_, prior_mac_, scope, now, policy_);
  if (verdict.valid()) {
    prior_mac_ = verdict.tsig->mac;
    first_ = false;
  }
  return verdict;
}

TsigVerdict verify_response(std::span<const std::uint8_t> message, const TsigKey& key,
                            std::span<const std::uint8_t> request_mac, std::uint64_t now,
                            TsigPolicy policy) {
  return TsigResponseVerifier(key, request_mac, policy).verify(message, now);
}

}  // namespace apex
