// TSIG signing of requests, responses and response streams (RFC 8945 §5.1, §5.3).
#include "zones/tsig_signer.hpp"

#include "zones/message.hpp"
#include "zones/tsig_digest.hpp"

namespace apex {
namespace {

std::uint16_t read_u16(std::span<const std::uint8_t> p, std::size_t at) {
  return static_cast<std::uint16_t>(p[at] << 8 | p[at + 1]);
}

// fields with everything but the MAC filled in; the TSIG of the message in buffer.
TsigRecord fields_for(const TsigKey& key, std::span<const std::uint8_t> message, std::uint64_t now,
                      std::uint16_t fudge, std::uint16_t error) {
  TsigRecord fields;
  fields.key_name = key.name;
  fields.algorithm = tsig_algorithm_name(key.algorithm);
  fields.time_signed = now & 0xFFFFFFFFFFFFu;  // 48 bits (§4.2)
  fields.fudge = fudge;
  fields.original_id = read_u16(message, 0);
  fields.error = error;
  return fields;
}

// Computes the MAC into fields and appends the TSIG; the new length or 0.
std::size_t sign_with(const TsigKey& key, std::span<const std::uint8_t> prior_mac,
                      TsigDigestScope scope, std::span<std::uint8_t> buffer, std::size_t length,
                      TsigRecord& fields) {
  const auto message = std::span<const std::uint8_t>(buffer).first(length);
  fields.mac = tsig_digest(key, prior_mac, message, read_u16(message, 10), fields, scope);
  if (fields.mac.empty()) return 0;
  return append_tsig_record(buffer, length, fields);
}

bool has_header(std::span<std::uint8_t> buffer, std::size_t length) {
  return length >= kHeaderSize && length <= buffer.size();
}

void put_u48(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int shift = 40; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

}  // namespace

TsigSigner::TsigSigner(const TsigKey& key, std::span<const std::uint8_t> request_mac,
                       std::uint16_t fudge)
    : key_(&key), prior_mac_(request_mac.begin(), request_mac.end()), fudge_(fudge) {}

std::size_t TsigSigner::sign(std::span<std::uint8_t> buffer, std::size_t length, std::uint64_t now,
                             std::uint16_t error) {
  if (!has_header(buffer, length)) return 0;
  TsigRecord fields = fields_for(*key_, buffer.first(length), now, fudge_, error);
  const auto scope = first_ ? TsigDigestScope::kAllVariables : TsigDigestScope::kTimersOnly;
  const std::size_t signed_length = sign_with(*key_, prior_mac_, scope, buffer, length, fields);
  if (signed_length == 0) return 0;
  prior_mac_ = std::move(fields.mac);
  first_ = false;
  return signed_length;
}

SignedRequest sign_request(std::span<std::uint8_t> buffer, std::size_t length, const TsigKey& key,
                           std::uint64_t now, std::uint16_t fudge) {
  if (!has_header(buffer, length)) return {};
  TsigRecord fields = fields_for(key, buffer.first(length), now, fudge, 0);
  const std::size_t signed_length =
      sign_with(key, {}, TsigDigestScope::kAllVariables, buffer, length, fields);
  if (signed_length == 0) return {};
  return SignedRequest{signed_length, std::move(fields.mac)};
}

std::size_t append_unsigned_tsig(std::span<std::uint8_t> buffer, std::size_t length,
                                 const TsigRecord& request, TsigError error) {
  TsigRecord fields = request;
  fields.mac.clear();
  fields.other_data.clear();
  fields.error = static_cast<std::uint16_t>(error);
  return append_tsig_record(buffer, length, fields);
}

std::size_t append_bad_time_tsig(std::span<std::uint8_t> buffer, std::size_t length,
                                 const TsigKey& key, const TsigRecord& request, std::uint64_t now) {
  if (!has_header(buffer, length)) return 0;
  TsigRecord fields = fields_for(key, buffer.first(length), now, request.fudge,
                                 static_cast<std::uint16_t>(TsigError::BadTime));
  put_u48(fields.other_data, fields.time_signed);
  return sign_with(key, request.mac, TsigDigestScope::kAllVariables, buffer, length, fields);
}

std::size_t append_error_tsig(std::span<std::uint8_t> buffer, std::size_t length,
                              const TsigVerdict& verdict, std::uint64_t now) {
  if (verdict.status != TsigStatus::kError || verdict.rcode != Rcode::NotAuth || !verdict.tsig)
    return length;
  switch (verdict.error) {
    case TsigError::BadTime:
      if (verdict.key)
        return append_bad_time_tsig(buffer, length, *verdict.key, *verdict.tsig, now);
      break;
    case TsigError::BadTrunc:
      if (verdict.key)
        return TsigSigner(*verdict.key, verdict.tsig->mac, verdict.tsig->fudge)
            .sign(buffer, length, now, static_cast<std::uint16_t>(TsigError::BadTrunc));
      break;
    default:
      break;
  }
  return append_unsigned_tsig(buffer, length, *verdict.tsig, verdict.error);
}

std::size_t sign_answer(std::span<std::uint8_t> buffer, std::size_t length,
                        const TsigVerdict& verdict, std::uint64_t now) {
  if (verdict.valid()) return TsigSigner(*verdict.key, verdict.tsig->mac).sign(buffer, length, now);
  if (verdict.status == TsigStatus::kError) return append_error_tsig(buffer, length, verdict, now);
  return length;
}

std::size_t answer_tsig_room(const TsigVerdict& verdict) {
  if (!verdict.tsig) return 0;
  const std::size_t mac = verdict.key ? tsig_mac_length(verdict.key->algorithm) : 0;
  return verdict.tsig->key_name.wire_length() + 10 + verdict.tsig->algorithm.wire_length() + 16 +
         mac + 6;
}

}  // namespace apex
