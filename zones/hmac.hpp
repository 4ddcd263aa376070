// Incremental HMAC (RFC 2104) over the hash of a TSIG algorithm, on OpenSSL 3's EVP_MAC.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/tsig_algorithm.hpp"

struct evp_mac_ctx_st;

namespace apex {

class Hmac {
 public:
  Hmac(TsigAlgorithm algorithm, std::span<const std::uint8_t> secret);
  ~Hmac();
  Hmac(const Hmac&) = delete;
  Hmac& operator=(const Hmac&) = delete;

  void update(std::span<const std::uint8_t> data);
  void update_u16(std::uint16_t value);
  // The full-length MAC. Empty when OpenSSL failed (e.g. out of memory, an empty secret):
  // an empty MAC matches no received MAC and makes signing fail, so a failure is never
  // mistaken for success.
  std::vector<std::uint8_t> finish();

 private:
  evp_mac_ctx_st* ctx_ = nullptr;
  bool ok_ = false;
};

// Compares a received MAC with the expected one in time independent of where they differ.
bool macs_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace apex
