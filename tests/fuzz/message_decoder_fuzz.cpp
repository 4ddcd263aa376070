// Fuzzes decode_message and decode_header_and_question, what the upstream client and NOTIFY
// answers rely on: any octets decode or fail cleanly, and what decodes is self-consistent.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_check.hpp"
#include "zones/message_decoder.hpp"
#include "zones/rdata.hpp"

namespace {

using namespace apex;

// A decoded name re-encodes to the same uncompressed wire form and reads back as itself.
void check_name(const Name& name) {
  FUZZ_CHECK(name.wire_length() >= 1 && name.wire_length() <= kMaxNameLength);
  auto again = Name::from_wire(name.wire());
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->wire_view() == name.wire_view());
  auto text = Name::from_text(name.to_text());
  FUZZ_CHECK(text.ok());
  FUZZ_CHECK(text->wire_view() == name.wire_view());
}

void check_section(const std::vector<Record>& records) {
  for (const Record& r : records) {
    check_name(r.owner);
    FUZZ_CHECK(r.rdata.size() <= 65535);
    FUZZ_CHECK(r.type != RRType::OPT);  // the OPT is lifted out (RFC 6891 §6.1.1)
    // RDATA from the network that is well formed for its type has a presentation form that
    // reads back to the same octets (RFC 3597 §5 generic form included).
    if (!rdata_check_wire(r.type, r.rdata).ok()) continue;
    const std::string text = rdata_to_text(r.type, r.rdata);
    auto tokens = rdata_tokenize(text);
    FUZZ_CHECK(tokens.ok());
    auto wire = rdata_from_text(r.type, *tokens, Name());
    FUZZ_CHECK(wire.ok());
    FUZZ_CHECK(*wire == r.rdata);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> packet(data, size);
  auto whole = decode_message(packet);
  auto head = decode_header_and_question(packet);
  if (!whole.ok()) return 0;
  // Whatever decodes whole also decodes in part, to the same header and questions.
  FUZZ_CHECK(head.ok());
  FUZZ_CHECK(head->id == whole->id && head->flags == whole->flags);
  FUZZ_CHECK(head->questions.size() == whole->questions.size());
  FUZZ_CHECK(size >= kHeaderSize);
  for (std::size_t i = 0; i < whole->questions.size(); ++i) {
    check_name(whole->questions[i].qname);
    FUZZ_CHECK(head->questions[i].qname.wire_view() == whole->questions[i].qname.wire_view());
  }
  check_section(whole->answer);
  check_section(whole->authority);
  check_section(whole->additional);
  // The counts in the header are what was decoded.
  FUZZ_CHECK((data[4] << 8 | data[5]) == static_cast<int>(whole->questions.size()));
  FUZZ_CHECK((data[6] << 8 | data[7]) == static_cast<int>(whole->answer.size()));
  FUZZ_CHECK((data[8] << 8 | data[9]) == static_cast<int>(whole->authority.size()));
  FUZZ_CHECK((data[10] << 8 | data[11]) ==
             static_cast<int>(whole->additional.size() + (whole->opt ? 1 : 0)));
  return 0;
}
