// TSIG digest components (RFC 8945 §4.3.1-§4.3.3) fed to the key's HMAC.
#include "zones/tsig_digest.hpp"

#include "zones/hmac.hpp"
#include "zones/message.hpp"

namespace apex {
namespace {

void update_timers(Hmac& hmac, const TsigRecord& fields) {
  hmac.update_u16(static_cast<std::uint16_t>(fields.time_signed >> 32));
  hmac.update_u16(static_cast<std::uint16_t>(fields.time_signed >> 16));
  hmac.update_u16(static_cast<std::uint16_t>(fields.time_signed));
  hmac.update_u16(fields.fudge);
}

// §4.3.3: the TSIG RR's owner, CLASS, TTL and RDATA, less MAC Size, MAC and Original ID.
void update_variables(Hmac& hmac, const TsigRecord& fields) {
  hmac.update(fields.key_name.lowercased().wire());
  hmac.update_u16(static_cast<std::uint16_t>(RRClass::ANY));
  hmac.update_u16(0);  // TTL, 32 bits
  hmac.update_u16(0);
  hmac.update(fields.algorithm.lowercased().wire());
  update_timers(hmac, fields);
  hmac.update_u16(fields.error);
  hmac.update_u16(static_cast<std::uint16_t>(fields.other_data.size()));
  hmac.update(fields.other_data);
}

}  // namespace

std::vector<std::uint8_t> tsig_digest(const TsigKey& key, std::span<const std::uint8_t> prior_mac,
                                      std::span<const std::uint8_t> message, std::uint16_t arcount,
                                      const TsigRecord& fields, TsigDigestScope scope) {
  if (message.size() < kHeaderSize) return {};
  Hmac hmac(key.algorithm, key.secret);
  if (!prior_mac.empty()) {
    hmac.update_u16(static_cast<std::uint16_t>(prior_mac.size()));
    hmac.update(prior_mac);
  }
  // §4.3.2: the message as it was before the TSIG was added, with the ID it was signed under.
  hmac.update_u16(fields.original_id);
  hmac.update(message.subspan(2, 8));
  hmac.update_u16(arcount);
  hmac.update(message.subspan(kHeaderSize));
  if (scope == TsigDigestScope::kAllVariables)
    update_variables(hmac, fields);
  else
    update_timers(hmac, fields);
  return hmac.finish();
}

}  // namespace apex
