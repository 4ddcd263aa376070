// DNSSEC public keys: the DNSKEY Public Key field to and from an OpenSSL key, and signature
// verification (RFC 6605 §4, RFC 8080 §3-§4).
#include "zones/dnssec_public_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>

namespace apex {
namespace {

constexpr std::size_t kCoordinate = 32;  // P-256 coordinates and scalars (RFC 6605 §4)

Result<std::vector<std::uint8_t>> ecdsa_public_key(const EVP_PKEY& key) {
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  bool ok = EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
            EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
  BignumPtr hold_x(x), hold_y(y);
  if (!ok) return Error{"the key has no P-256 public point"};
  std::vector<std::uint8_t> out(2 * kCoordinate);
  if (BN_bn2binpad(x, out.data(), kCoordinate) != kCoordinate ||
      BN_bn2binpad(y, out.data() + kCoordinate, kCoordinate) != kCoordinate)
    return Error{"a P-256 coordinate longer than 32 octets"};
  return out;
}

Result<std::vector<std::uint8_t>> ed25519_public_key(const EVP_PKEY& key) {
  std::vector<std::uint8_t> out(32);
  std::size_t length = out.size();
  if (EVP_PKEY_get_raw_public_key(&key, out.data(), &length) != 1 || length != out.size())
    return Error{"the key has no Ed25519 public key"};
  return out;
}

// RFC 6605 §4: the field is x||y; OpenSSL takes the uncompressed point 0x04||x||y.
Result<EvpKey> ecdsa_from_field(std::span<const std::uint8_t> field) {
  std::vector<std::uint8_t> point{0x04};
  point.insert(point.end(), field.begin(), field.end());
  return p256_key(point, nullptr);
}

// ECDSA signatures travel as r||s (RFC 6605 §4); OpenSSL verifies the DER form (RFC 3279).
std::vector<std::uint8_t> ecdsa_der(std::span<const std::uint8_t> raw) {
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw.data(), kCoordinate, nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + kCoordinate, kCoordinate, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return {};
  }
  int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0) return {};
  std::vector<std::uint8_t> der(static_cast<std::size_t>(length));
  unsigned char* out = der.data();
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

}  // namespace

Result<EvpKey> p256_key(std::span<const std::uint8_t> public_point, const BIGNUM* private_scalar) {
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
      (private_scalar &&
       !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, private_scalar)) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, public_point.data(),
                                        public_point.size()))
    return Error{"out of memory"};
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  const int selection = private_scalar ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, selection, params.get()) != 1)
    return Error{private_scalar ? "not a P-256 private key" : "not a P-256 public key"};
  return EvpKey(key);
}

Result<std::vector<std::uint8_t>> dnskey_public_key(DnssecAlgorithm algorithm,
                                                    const EVP_PKEY& key) {
  if (algorithm == DnssecAlgorithm::kEd25519) {
    if (!EVP_PKEY_is_a(&key, "ED25519")) return Error{"not an Ed25519 key"};
    return ed25519_public_key(key);
  }
  if (!EVP_PKEY_is_a(&key, "EC")) return Error{"not an ECDSA key"};
  char group[32] = {};
  if (EVP_PKEY_get_utf8_string_param(&key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     nullptr) != 1 ||
      std::string_view(group) != "prime256v1")
    return Error{"not a P-256 key"};
  return ecdsa_public_key(key);
}

Result<EvpKey> public_key_from_dnskey(DnssecAlgorithm algorithm,
                                      std::span<const std::uint8_t> field) {
  if (field.size() != dnssec_public_key_length(algorithm))
    return Error{"a " + std::string(dnssec_algorithm_to_text(algorithm)) + " public key has " +
                 std::to_string(dnssec_public_key_length(algorithm)) + " octets, not " +
                 std::to_string(field.size())};
  if (algorithm == DnssecAlgorithm::kEcdsaP256Sha256) return ecdsa_from_field(field);
  EVP_PKEY* key =
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, field.data(), field.size());
  if (!key) return Error{"not an Ed25519 public key"};
  return EvpKey(key);
}

bool verify_dnssec_signature(DnssecAlgorithm algorithm, const EVP_PKEY& key,
                             std::span<const std::uint8_t> data,
                             std::span<const std::uint8_t> signature) {
  if (signature.size() != dnssec_signature_length(algorithm)) return false;
  std::vector<std::uint8_t> der;
  const EVP_MD* digest = nullptr;  // Ed25519 hashes internally (RFC 8032 §5.1)
  if (algorithm == DnssecAlgorithm::kEcdsaP256Sha256) {
    der = ecdsa_der(signature);
    if (der.empty()) return false;
    signature = der;
    digest = EVP_sha256();
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, const_cast<EVP_PKEY*>(&key)) ==
             1 &&
         EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(),
                          data.size()) == 1;
}

}  // namespace apex
