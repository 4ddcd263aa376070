// Fuzzes decode_difference, which reads journal versions back: a version that decodes
// re-encodes to a message that decodes to the same version.
#include <cstddef>
#include <cstdint>
#include <span>

#include "tests/fuzz/fuzz_check.hpp"
#include "zones/rrtype.hpp"
#include "zones/zone_difference.hpp"

using namespace apex;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto difference = decode_difference(std::span<const std::uint8_t>(data, size));
  if (!difference.ok()) return 0;
  // What the IXFR stream relies on (RFC 1995 §4).
  FUZZ_CHECK(difference->old_soa.type == RRType::SOA);
  FUZZ_CHECK(difference->new_soa.type == RRType::SOA);
  FUZZ_CHECK(difference->old_soa.owner == difference->new_soa.owner);
  for (const auto* records : {&difference->deleted, &difference->added})
    for (const Record& r : *records) FUZZ_CHECK(r.type != RRType::SOA);

  auto encoded = encode_difference(*difference);
  FUZZ_CHECK(encoded.ok());
  auto again = decode_difference(*encoded);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->old_soa == difference->old_soa);
  FUZZ_CHECK(again->new_soa == difference->new_soa);
  FUZZ_CHECK(again->deleted == difference->deleted);
  FUZZ_CHECK(again->added == difference->added);
  FUZZ_CHECK(again->from() == difference->from() && again->to() == difference->to());
  return 0;
}
