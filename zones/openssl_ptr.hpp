// Owning pointers to OpenSSL objects: one deleter for each OpenSSL *_free function, so every
// object a DNSSEC key operation allocates is released on every return path.
#pragma once

#include <memory>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

namespace apex {

// A parsed ASN.1 SEQUENCE of any fields (d2i_ASN1_SEQUENCE_ANY) owns its fields.
inline void free_asn1_sequence(STACK_OF(ASN1_TYPE) * fields) {
  sk_ASN1_TYPE_pop_free(fields, ASN1_TYPE_free);
}

template <auto Free>
struct OpensslFree {
  template <class T>
  void operator()(T* object) const {
    Free(object);
  }
};

template <class T, auto Free>
using OpensslPtr = std::unique_ptr<T, OpensslFree<Free>>;

using BignumPtr = OpensslPtr<BIGNUM, BN_free>;
using BnCtxPtr = OpensslPtr<BN_CTX, BN_CTX_free>;
using EcGroupPtr = OpensslPtr<EC_GROUP, EC_GROUP_free>;
using EcPointPtr = OpensslPtr<EC_POINT, EC_POINT_free>;
using EcdsaSigPtr = OpensslPtr<ECDSA_SIG, ECDSA_SIG_free>;
using MdCtxPtr = OpensslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using PkeyCtxPtr = OpensslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using ParamBldPtr = OpensslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using ParamPtr = OpensslPtr<OSSL_PARAM, OSSL_PARAM_free>;
using Asn1SequencePtr = OpensslPtr<STACK_OF(ASN1_TYPE), free_asn1_sequence>;
using OctetStringPtr = OpensslPtr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Pkcs8Ptr = OpensslPtr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>;

}  // namespace apex
