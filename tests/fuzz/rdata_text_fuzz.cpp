// Fuzzes RDATA presentation parsing: input is "TYPE RDATA…" as one line. RDATA that parses
// is well formed on the wire and reads back to the same wire form from its own text.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_check.hpp"
#include "zones/rdata.hpp"
#include "zones/rrtype.hpp"

using namespace apex;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Name origin = *Name::from_text("example.com.");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto tokens = rdata_tokenize(text);
  if (!tokens.ok() || tokens->empty()) return 0;
  auto type = rrtype_from_text(tokens->front());
  if (!type) return 0;
  const std::span<const std::string> fields(tokens->data() + 1, tokens->size() - 1);
  auto wire = rdata_from_text(*type, fields, origin);
  if (!wire.ok()) return 0;

  FUZZ_CHECK(wire->size() <= 65535);  // RDLENGTH is 16 bits (RFC 1035 §3.2.1)
  FUZZ_CHECK(rdata_check_wire(*type, *wire).ok());
  // Presentation form round trip: the text written for the wire form parses to it again.
  const std::string written = rdata_to_text(*type, *wire);
  auto written_tokens = rdata_tokenize(written);
  FUZZ_CHECK(written_tokens.ok());
  auto again = rdata_from_text(*type, *written_tokens, origin);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *wire);
  return 0;
}
