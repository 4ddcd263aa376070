// A DNSSEC private key held once as an OpenSSL key: generated, stored as PKCS#8, imported
// from raw octets, and signing (RFC 6605 §4, RFC 8080 §4).
#include "zones/signing_key.hpp"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

namespace apex {
namespace {

constexpr std::size_t kCoordinate = 32;

// The uncompressed public point 0x04||x||y = d·G of the scalar d on P-256.
std::vector<std::uint8_t> p256_public_point(const BIGNUM& d) {
  EcGroupPtr group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  BnCtxPtr bn_ctx(BN_CTX_new());
  if (!group || !bn_ctx) return {};
  EcPointPtr point(EC_POINT_new(group.get()));
  std::vector<std::uint8_t> out(1 + 2 * kCoordinate);
  if (!point || EC_POINT_mul(group.get(), point.get(), &d, nullptr, nullptr, bn_ctx.get()) != 1 ||
      EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(),
                         out.size(), bn_ctx.get()) != out.size())
    return {};
  return out;
}

Result<EvpKey> p256_from_scalar(std::span<const std::uint8_t> octets) {
  if (octets.size() != kCoordinate) return Error{"a P-256 private key has 32 octets"};
  BignumPtr d(BN_bin2bn(octets.data(), kCoordinate, nullptr));
  if (!d || BN_is_zero(d.get())) return Error{"not a P-256 private key"};
  std::vector<std::uint8_t> point = p256_public_point(*d);
  if (point.empty()) return Error{"not a P-256 private key"};
  return p256_key(point, d.get());
}

// OpenSSL writes ECDSA signatures in DER (RFC 3279 §2.2.3); RRSIG carries r||s, each
// left-padded to 32 octets (RFC 6605 §4).
Result<std::vector<std::uint8_t>> ecdsa_raw(std::span<const std::uint8_t> der) {
  const unsigned char* in = der.data();
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der.size())));
  if (!sig) return Error{"OpenSSL returned a malformed ECDSA signature"};
  std::vector<std::uint8_t> out(2 * kCoordinate);
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out.data(), kCoordinate) != kCoordinate ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out.data() + kCoordinate, kCoordinate) !=
          kCoordinate)
    return Error{"an ECDSA signature value longer than 32 octets"};
  return out;
}

struct PrivateOctets {
  DnssecAlgorithm algorithm;
  std::vector<std::uint8_t> octets;
};

std::vector<std::uint8_t> string_octets(const ASN1_STRING& s) {
  const unsigned char* data = ASN1_STRING_get0_data(&s);
  return std::vector<std::uint8_t>(data, data + ASN1_STRING_length(&s));
}

// The privateKey of an ECPrivateKey (RFC 5915 §3): SEQUENCE { version 1, privateKey OCTET
// STRING, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }. The public key is derived from
// it again, so that a stored one that does not match cannot slip through.
Result<std::vector<std::uint8_t>> ec_private_scalar(const unsigned char* der, int length) {
  const unsigned char* in = der;
  Asn1SequencePtr fields(d2i_ASN1_SEQUENCE_ANY(nullptr, &in, length));
  if (!fields || in != der + length || sk_ASN1_TYPE_num(fields.get()) < 2)
    return Error{"not an EC private key (RFC 5915)"};
  const ASN1_TYPE* version = sk_ASN1_TYPE_value(fields.get(), 0);
  const ASN1_TYPE* scalar = sk_ASN1_TYPE_value(fields.get(), 1);
  if (version->type != V_ASN1_INTEGER || ASN1_INTEGER_get(version->value.integer) != 1 ||
      scalar->type != V_ASN1_OCTET_STRING)
    return Error{"not an EC private key (RFC 5915)"};
  return string_octets(*scalar->value.octet_string);
}

// The key octets a PKCS#8 PrivateKeyInfo (RFC 5958 §2) carries for the two algorithms:
// id-ecPublicKey on prime256v1 (RFC 5480 §2.1.1), or id-Ed25519 with its CurvePrivateKey
// (RFC 8410 §7). Read with OpenSSL's ASN.1 parser rather than its key decoders, which take
// 0.3 ms a key in OpenSSL 3, as long as 20 signatures, for every zone rebuilt.
Result<PrivateOctets> private_octets(const PKCS8_PRIV_KEY_INFO& info) {
  const unsigned char* key = nullptr;
  int length = 0;
  const X509_ALGOR* algorithm = nullptr;
  if (PKCS8_pkey_get0(nullptr, &key, &length, &algorithm, &info) != 1)
    return Error{"not a PKCS#8 private key"};
  const ASN1_OBJECT* oid = nullptr;
  int parameter_type = 0;
  const void* parameter = nullptr;
  X509_ALGOR_get0(&oid, &parameter_type, &parameter, algorithm);
  const int nid = OBJ_obj2nid(oid);
  if (nid == NID_ED25519) {
    const unsigned char* in = key;
    OctetStringPtr seed(d2i_ASN1_OCTET_STRING(nullptr, &in, length));
    if (!seed || in != key + length) return Error{"not an Ed25519 private key (RFC 8410)"};
    return PrivateOctets{DnssecAlgorithm::kEd25519, string_octets(*seed)};
  }
  if (nid != NID_X9_62_id_ecPublicKey || parameter_type != V_ASN1_OBJECT ||
      OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(parameter)) != NID_X9_62_prime256v1)
    return Error{"a private key of an algorithm other than P-256 or Ed25519"};
  auto scalar = ec_private_scalar(key, length);
  if (!scalar) return Error{scalar.error()};
  return PrivateOctets{DnssecAlgorithm::kEcdsaP256Sha256, std::move(*scalar)};
}

}  // namespace

SigningKey::SigningKey(DnssecAlgorithm algorithm, std::uint16_t flags, EvpKey key,
                       std::vector<std::uint8_t> public_key)
    : algorithm_(algorithm),
      flags_(flags),
      key_(std::move(key)),
      public_key_(std::move(public_key)),
      dnskey_rdata_(apex::dnskey_rdata(flags, algorithm, public_key_)),
      key_tag_(apex::key_tag(dnskey_rdata_)) {}

Result<SigningKey> SigningKey::adopt(DnssecAlgorithm algorithm, std::uint16_t flags, EvpKey key) {
  if (!key) return Error{"no key"};
  auto public_key = dnskey_public_key(algorithm, *key);  // also checks the curve
  if (!public_key) return Error{public_key.error()};
  return SigningKey(algorithm, flags, std::move(key), std::move(*public_key));
}

Result<SigningKey> SigningKey::generate(DnssecAlgorithm algorithm, std::uint16_t flags) {
  EVP_PKEY* key = algorithm == DnssecAlgorithm::kEd25519
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (!key) return Error{"OpenSSL could not generate a key"};
  return adopt(algorithm, flags, EvpKey(key));
}

Result<SigningKey> SigningKey::from_pkcs8(std::span<const std::uint8_t> der, std::uint16_t flags) {
  const unsigned char* in = der.data();
  Pkcs8Ptr info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &in, static_cast<long>(der.size())));
  if (!info || in != der.data() + der.size()) return Error{"not a PKCS#8 private key"};
  auto octets = private_octets(*info);
  if (!octets) return Error{octets.error()};
  return from_private_octets(octets->algorithm, octets->octets, flags);
}

Result<SigningKey> SigningKey::from_private_octets(DnssecAlgorithm algorithm,
                                                   std::span<const std::uint8_t> octets,
                                                   std::uint16_t flags) {
  if (algorithm == DnssecAlgorithm::kEcdsaP256Sha256) {
    auto key = p256_from_scalar(octets);
    if (!key) return Error{key.error()};
    return adopt(algorithm, flags, std::move(*key));
  }
  if (octets.size() != 32) return Error{"an Ed25519 private key has 32 octets"};
  return adopt(algorithm, flags,
               EvpKey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, octets.data(),
                                                   octets.size())));
}

std::vector<std::uint8_t> SigningKey::to_pkcs8() const {
  Pkcs8Ptr info(EVP_PKEY2PKCS8(key_.get()));
  if (!info) return {};
  int length = i2d_PKCS8_PRIV_KEY_INFO(info.get(), nullptr);
  if (length <= 0) return {};
  std::vector<std::uint8_t> out(static_cast<std::size_t>(length));
  unsigned char* p = out.data();
  i2d_PKCS8_PRIV_KEY_INFO(info.get(), &p);
  return out;
}

Result<std::vector<std::uint8_t>> SigningKey::sign(std::span<const std::uint8_t> data) const {
  const bool ecdsa = algorithm_ == DnssecAlgorithm::kEcdsaP256Sha256;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  // Ed25519 takes no separate digest: it hashes the message itself (RFC 8032 §5.1.6).
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, ecdsa ? EVP_sha256() : nullptr, nullptr,
                                 key_.get()) != 1)
    return Error{"OpenSSL could not start a signature"};
  std::size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, data.data(), data.size()) != 1)
    return Error{"OpenSSL could not sign"};
  std::vector<std::uint8_t> signature(length);
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, data.data(), data.size()) != 1)
    return Error{"OpenSSL could not sign"};
  signature.resize(length);
  if (ecdsa) return ecdsa_raw(signature);
  return signature;
}

}  // namespace apex
