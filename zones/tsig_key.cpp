// TSIG keys from configuration text, and the keyring (RFC 8945 §3).
#include "zones/tsig_key.hpp"

#include <string>

#include "zones/base_encoding.hpp"

namespace apex {

Result<TsigKey> tsig_key_from_text(std::string_view name, std::string_view algorithm,
                                   std::string_view secret_base64) {
  auto key_name = Name::from_text(name);
  if (!key_name) return Error{"TSIG key name: " + key_name.error()};
  auto key_algorithm = tsig_algorithm_from_text(algorithm);
  if (!key_algorithm) return Error{key_algorithm.error()};
  auto secret = base64_decode(secret_base64);
  if (!secret) return Error{"TSIG key " + key_name->to_text() + ": secret is not base64"};
  if (secret->empty()) return Error{"TSIG key " + key_name->to_text() + ": empty secret"};
  return TsigKey{std::move(*key_name), *key_algorithm, std::move(*secret)};
}

Result<TsigKeyring> TsigKeyring::create(std::vector<TsigKey> keys) {
  TsigKeyring ring;
  for (auto& key : keys) {
    if (key.secret.empty()) return Error{"TSIG key " + key.name.to_text() + ": empty secret"};
    if (ring.keys_.contains(key.name))
      return Error{"TSIG key " + key.name.to_text() + " is defined twice"};
    Name name = key.name;
    ring.keys_.emplace(std::move(name), std::move(key));
  }
  return ring;
}

const TsigKey* TsigKeyring::find(const Name& name) const {
  auto it = keys_.find(name);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace apex
