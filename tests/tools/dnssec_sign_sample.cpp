// Test-only program: signs a small zone that has every shape a signer must get right and
// writes it as a master file, with its DS, for zone verifiers of other implementations.
//
//   dnssec_sign_sample ALGORITHM DENIAL OUT_ZONE OUT_DS
//     ALGORITHM  ecdsap256sha256 | ed25519
//     DENIAL     nsec | nsec3 | nsec3-optout
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "zones/ds_record.hpp"
#include "zones/master_file.hpp"
#include "zones/signing_key.hpp"
#include "zones/zone_signer.hpp"

using namespace apex;

namespace {

// Apex SOA/NS, A/AAAA/MX/TXT, a CNAME chain and a CNAME to a name that doesn't exist, a
// delegation with DS and one without (both with glue), a wildcard, an empty non-terminal
// (b.ent), names in mixed case, and occluded data below a delegation that must stay
// unsigned.
constexpr const char* kSample = R"(
@        3600 IN SOA ns1.sample.test. hostmaster.sample.test. 2026010101 7200 3600 1209600 300
@        3600 IN NS  ns1.sample.test.
@        3600 IN NS  ns2.sample.test.
@        3600 IN MX  10 Mail.sample.test.
@        3600 IN TXT "v=spf1 -all"
ns1      3600 IN A    192.0.2.1
ns2      3600 IN AAAA 2001:db8::2
Mail     3600 IN A    192.0.2.25
www      300  IN A    192.0.2.80
www      300  IN A    192.0.2.81
www      300  IN AAAA 2001:db8::80
alias    300  IN CNAME www
chain    300  IN CNAME alias
dangling 300  IN CNAME nowhere
*.wild   600  IN TXT  "wildcard"
*.wild   600  IN A    192.0.2.99
a.b.ent  600  IN TXT  "under an empty non-terminal"
secure   3600 IN NS   ns.secure.sample.test.
secure   3600 IN DS   12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns.secure 3600 IN A   192.0.2.53
insecure 3600 IN NS   ns.insecure.sample.test.
ns.insecure 3600 IN A 192.0.2.54
deep.insecure 3600 IN TXT "occluded"
)";

int fail(const std::string& message) {
  std::cerr << "dnssec_sign_sample: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return fail("usage: ALGORITHM nsec|nsec3|nsec3-optout OUT_ZONE OUT_DS");
  auto algorithm = dnssec_algorithm_from_text(argv[1]);
  if (!algorithm) return fail(std::string("unknown algorithm ") + argv[1]);
  const std::string denial = argv[2];
  ZoneSigningOptions options;
  if (denial == "nsec3" || denial == "nsec3-optout") {
    options.denial = DenialOfExistence::kNsec3;
    options.nsec3.opt_out = denial == "nsec3-optout";
  } else if (denial != "nsec") {
    return fail("unknown denial " + denial);
  }
  // Backdated an hour for clocks behind ours; valid two weeks.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  options.validity = {static_cast<std::uint32_t>(now - 3600),
                      static_cast<std::uint32_t>(now + 14 * 86400)};

  const Name apex = *Name::from_text("sample.test.");
  auto zone = read_master_text(kSample, apex, "sample");
  if (!zone) return fail(zone.error());
  auto key = SigningKey::generate(*algorithm);
  if (!key) return fail(key.error());
  auto is_signed = sign_zone(apex, zone->records, *key, options);
  if (!is_signed) return fail(is_signed.error());
  auto ds = ds_rdata(apex, key->dnskey_rdata());
  if (!ds) return fail(ds.error());

  std::ofstream(argv[3]) << write_master_file(apex, *is_signed);
  std::ofstream(argv[4]) << ds_master_line(apex, 3600, *ds);
  return 0;
}
