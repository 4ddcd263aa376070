// Specification of NSEC3 hashing (RFC 5155 §5): the hashes of RFC 5155 Appendix A (salt
// aabbccdd, 12 extra iterations), case-insensitivity, base32hex owner labels and NSEC3PARAM.
#include "zones/nsec3_hash.hpp"

#include <doctest/doctest.h>

#include "tests/zones/dnssec_vectors.hpp"
#include "zones/base_encoding.hpp"

using namespace apex;
using namespace apex::test;

TEST_CASE("RFC 5155 Appendix A: hashed owner names of the example zone") {
  const std::vector<std::uint8_t> salt{0xaa, 0xbb, 0xcc, 0xdd};
  const std::pair<const char*, const char*> vectors[] = {
      {"example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"},
      {"a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl"},
      {"ai.example.", "gjeqe526plbf1g8mklp59enfd789njgi"},
      {"ns1.example.", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"},
      {"ns2.example.", "q04jkcevqvmu85r014c7dkba38o0ji5r"},
      {"w.example.", "k8udemvp1j2f7eg6jebps17vp3n8i58h"},
      {"*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"},
      {"x.w.example.", "b4um86eghhds6nea196smvmlo4ors995"},
      {"y.w.example.", "ji6neoaepv8b5o6k4ev33abha8ht9fgc"},
      {"x.y.w.example.", "2vptu5timamqttgl4luu9kg21e0aor3s"},
      {"xx.example.", "t644ebqk9bibcna874givr6joj62mlhv"},
  };
  for (const auto& [owner, hash] : vectors) {
    CAPTURE(owner);
    CHECK(base32hex_encode(nsec3_hash(name(owner), salt, 12)) == hash);
  }
  // The hash is of the canonical (lower-case) name.
  CHECK(base32hex_encode(nsec3_hash(name("X.W.Example."), salt, 12)) ==
        "b4um86eghhds6nea196smvmlo4ors995");
}

TEST_CASE("salt and iterations change the hash; RFC 9276 defaults are 0 and empty") {
  const Nsec3Parameters defaults;
  CHECK(defaults.iterations == 0);
  CHECK(defaults.salt.empty());
  CHECK_FALSE(defaults.opt_out);
  const Name n = name("example.");
  CHECK(nsec3_hash(n, {}, 0) != nsec3_hash(n, {}, 1));
  CHECK(nsec3_hash(n, std::vector<std::uint8_t>{1}, 0) != nsec3_hash(n, {}, 0));
}

TEST_CASE("the NSEC3 owner is the base32hex hash as the first label under the apex") {
  const std::vector<std::uint8_t> salt{0xaa, 0xbb, 0xcc, 0xdd};
  auto owner = nsec3_owner(nsec3_hash(name("a.example."), salt, 12), name("example."));
  REQUIRE(owner);
  CHECK(owner->to_text() == "35mthgpgcu1qg68fab165klnsnk3dpvl.example.");
}

TEST_CASE("NSEC3PARAM RDATA has flags 0 even with opt-out (RFC 5155 §4.1.2)") {
  Nsec3Parameters p;
  p.opt_out = true;
  CHECK(nsec3param_rdata(p) == rdata(RRType::NSEC3PARAM, "1 0 0 -"));
  p.iterations = 12;
  p.salt = {0xaa, 0xbb, 0xcc, 0xdd};
  CHECK(nsec3param_rdata(p) == rdata(RRType::NSEC3PARAM, "1 0 12 aabbccdd"));
}
