// TSIG keys (RFC 8945 §3) and the immutable keyring they are looked up in by key name.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/tsig_algorithm.hpp"

namespace apex {

struct TsigKey {
  Name name;
  TsigAlgorithm algorithm = kDefaultTsigAlgorithm;
  std::vector<std::uint8_t> secret;
};

// A key from its configuration text: name, algorithm ("hmac-sha256") and base64 secret,
// as BIND's key statement and Knot's key section write them. Refuses an empty secret.
Result<TsigKey> tsig_key_from_text(std::string_view name, std::string_view algorithm,
                                   std::string_view secret_base64);

// The keys a server holds. Built once and never changed, so workers may share one without
// locking; a new set of keys is a new keyring.
class TsigKeyring {
 public:
  TsigKeyring() = default;
  // Refuses two keys with the same name (names compare case-insensitively, RFC 4343) and
  // keys with an empty secret.
  static Result<TsigKeyring> create(std::vector<TsigKey> keys);

  // The key with this name, or nullptr.
  const TsigKey* find(const Name& name) const;
  std::size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

 private:
  std::unordered_map<Name, TsigKey, NameHash> keys_;
};

}  // namespace apex
