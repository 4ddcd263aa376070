// HMAC on OpenSSL 3's EVP_MAC interface: one context per message digest.
#include "zones/hmac.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace apex {
namespace {

// Fetching an implementation is costly; the fetched object is immutable and shareable
// between threads, so one is kept for the life of the process.
EVP_MAC* hmac_implementation() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  return mac;
}

const char* digest_name(TsigAlgorithm algorithm) {
  switch (algorithm) {
    case TsigAlgorithm::HmacSha1:
      return "SHA1";
    case TsigAlgorithm::HmacSha224:
      return "SHA224";
    case TsigAlgorithm::HmacSha384:
      return "SHA384";
    case TsigAlgorithm::HmacSha512:
      return "SHA512";
    case TsigAlgorithm::HmacSha256:
      break;
  }
  return "SHA256";
}

}  // namespace

Hmac::Hmac(TsigAlgorithm algorithm, std::span<const std::uint8_t> secret) {
  EVP_MAC* mac = hmac_implementation();
  if (mac == nullptr || secret.empty()) return;
  ctx_ = EVP_MAC_CTX_new(mac);
  if (ctx_ == nullptr) return;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(
                             OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest_name(algorithm)), 0),
                         OSSL_PARAM_construct_end()};
  ok_ = EVP_MAC_init(ctx_, secret.data(), secret.size(), params) == 1;
}

Hmac::~Hmac() {
  EVP_MAC_CTX_free(ctx_);
}

void Hmac::update(std::span<const std::uint8_t> data) {
  if (ok_ && !data.empty()) ok_ = EVP_MAC_update(ctx_, data.data(), data.size()) == 1;
}

void Hmac::update_u16(std::uint16_t value) {
  const std::uint8_t octets[2] = {static_cast<std::uint8_t>(value >> 8),
                                  static_cast<std::uint8_t>(value)};
  update(octets);
}

std::vector<std::uint8_t> Hmac::finish() {
  if (!ok_) return {};
  std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
  std::size_t length = 0;
  ok_ = EVP_MAC_final(ctx_, out.data(), &length, out.size()) == 1;
  if (!ok_) return {};
  out.resize(length);
  return out;
}

bool macs_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace apex
