// Specification of outgoing zone transfers: AXFR (RFC 5936 §2.2) and IXFR without a journal
// (RFC 1995 §2, §4), decoded message by message with the general message decoder.
#include "zones/zone_transfer.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "tests/zones/answer_fixture.hpp"
#include "tests/zones/sample_aliases.hpp"
#include "zones/ixfr_sequence.hpp"
#include "zones/message_decoder.hpp"
#include "zones/transfer_request.hpp"

using namespace apex;
using namespace apex::test;

namespace {

const char* kZone = R"(
$TTL 3600
@        IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
         IN NS  ns1
         IN MX  10 mail
@    300 IN ALIAS lb.cdn.test.
@        IN TXT "apex"
ns1      IN A   192.0.2.1
mail     IN A   192.0.2.2
mail     IN AAAA 2001:db8::2
www      IN CNAME @
v4only   IN ALIAS only4.cdn.test.
down     IN ALIAS broken.cdn.test.
backup   IN ALIAS broken.cdn.test.
new      IN ALIAS fresh.cdn.test.
stale    IN ALIAS stale.cdn.test.
*.wild   IN ALIAS lb.cdn.test.
a.b.c    IN TXT "below an empty non-terminal"
sub      IN NS  ns1.sub
sub      IN NS  ns1
sub      IN DS  12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns1.sub  IN A   192.0.2.53
)";

// What the ALIAS owners above are answered with, and so what a secondary must receive:
// TTL = min(ALIAS TTL, result TTL); down (failed) and new (pending) contribute nothing,
// v4only has no AAAA (NODATA), stale serves its last-known-good, backup its own fallback.
const Lines kFlattened = {
    "example.com. 300 A 198.51.100.1",           "example.com. 300 A 198.51.100.2",
    "example.com. 120 AAAA 2001:db8::10",        "v4only.example.com. 30 A 198.51.100.4",
    "stale.example.com. 30 A 198.51.100.5",      "backup.example.com. 3600 A 203.0.113.9",
    "*.wild.example.com. 600 A 198.51.100.1",    "*.wild.example.com. 600 A 198.51.100.2",
    "*.wild.example.com. 120 AAAA 2001:db8::10",
};

const std::string kSoa =
    "example.com. 3600 SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 "
    "1209600 300";

AliasTablePtr alias_table() {
  auto table = sample_alias_table();
  REQUIRE(table.ok());
  return *table;
}

std::string line(const Record& r) {
  return r.owner.to_text() + " " + std::to_string(r.ttl) + " " + rrtype_to_text(r.type) + " " +
         rdata_to_text(r.type, r.rdata);
}

// The zone's records as text, without ALIAS (which never goes on the wire) and without SOA.
Lines static_records(const std::string& origin, const std::string& text) {
  auto file = read_master_text(text, *Name::from_text(origin));
  REQUIRE(file.ok());
  Lines lines;
  for (const Record& r : file->records)
    if (r.type != RRType::ALIAS && r.type != RRType::SOA) lines.push_back(line(r));
  return lines;
}

TransferRequest request_for(const std::string& name, RRType qtype, std::uint16_t id = 0xBEEF,
                            std::uint16_t flags = 0) {
  Query query = make_query(name, qtype);
  query.id = id;
  query.flags = flags;
  return TransferRequest::of(query);
}

TransferRequest ixfr_request(const std::string& name, std::uint32_t client_serial) {
  Query query = make_query(name, RRType::IXFR);
  query.id = 7;
  query.has_client_serial = true;
  query.client_serial = client_serial;
  return TransferRequest::of(query);
}

struct Stream {
  std::vector<DecodedMessage> messages;
  std::vector<std::size_t> sizes;

  Lines records() const {
    Lines lines;
    for (const auto& m : messages)
      for (const auto& r : m.answer) lines.push_back(line(r));
    return lines;
  }
};

Stream run(ZoneTransfer& transfer, std::size_t buffer_size = 65535) {
  Stream s;
  std::vector<std::uint8_t> out(buffer_size);
  while (std::size_t n = transfer.next(out)) {
    REQUIRE(n <= out.size());
    auto decoded = decode_message({out.data(), n});
    REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error()));
    s.messages.push_back(std::move(*decoded));
    s.sizes.push_back(n);
    REQUIRE(s.messages.size() < 100000);
  }
  CHECK(transfer.finished());
  CHECK(transfer.next(out) == 0);  // and stays finished
  return s;
}

// RFC 5936 §2.2.1 headers: ID copied, QR and AA set, OPCODE QUERY, NOERROR, not truncated;
// the question in the first message only; records in the answer section only.
void check_headers(const Stream& s, std::uint16_t id, const std::string& qname, RRType qtype) {
  REQUIRE_FALSE(s.messages.empty());
  for (std::size_t i = 0; i < s.messages.size(); ++i) {
    const DecodedMessage& m = s.messages[i];
    CHECK(m.id == id);
    CHECK(m.is_response());
    CHECK((m.flags & kFlagAA) != 0);
    CHECK_FALSE(m.truncated());
    CHECK(m.opcode() == kOpcodeQuery);
    CHECK(m.rcode() == Rcode::NoError);
    CHECK_FALSE(m.answer.empty());
    CHECK(m.authority.empty());
    CHECK(m.additional.empty());
    if (i == 0) {
      REQUIRE(m.questions.size() == 1);
      CHECK(m.questions[0].qname.to_text() == qname);
      CHECK(m.questions[0].qtype == qtype);
      CHECK(m.questions[0].qclass == RRClass::IN);
    } else {
      CHECK(m.questions.empty());
    }
  }
}

// The SOA first and last and nowhere else; in between, exactly the expected records.
void check_contents(const Stream& s, Lines expected) {
  Lines records = s.records();
  REQUIRE(records.size() >= 2);
  CHECK(records.front() == kSoa);
  CHECK(records.back() == kSoa);
  Lines middle(records.begin() + 1, records.end() - 1);
  CHECK(std::none_of(middle.begin(), middle.end(),
                     [](const std::string& l) { return l.find(" SOA ") != std::string::npos; }));
  std::sort(middle.begin(), middle.end());
  std::sort(expected.begin(), expected.end());
  CHECK(middle == expected);
}

struct Fixture {
  ZonePtr zone = zone_from_text("example.com.", kZone);
  AliasTablePtr aliases = alias_table();

  Lines zone_records() const {
    Lines expected = static_records("example.com.", kZone);
    expected.insert(expected.end(), kFlattened.begin(), kFlattened.end());
    return expected;
  }
};

std::string repeated_text(std::size_t n) {
  return std::string(n, 'x');
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "AXFR: the SOA frames every other RRset, sent once; glue and DS too") {
  ZoneTransfer transfer(zone, aliases, request_for("example.com.", RRType::AXFR));
  Stream s = run(transfer);
  check_headers(s, 0xBEEF, "example.com.", RRType::AXFR);
  check_contents(s, zone_records());
  CHECK_FALSE(transfer.failed());
}

TEST_CASE_FIXTURE(Fixture, "AXFR: ALIAS owners carry the A/AAAA served, never the ALIAS type") {
  ZoneTransfer transfer(zone, aliases, request_for("example.com.", RRType::AXFR));
  Stream s = run(transfer);
  Lines records = s.records();
  for (const std::string& l : kFlattened) CHECK(std::count(records.begin(), records.end(), l) == 1);
  CHECK(std::none_of(records.begin(), records.end(), [](const std::string& l) {
    return l.find(" ALIAS ") != std::string::npos || l.rfind("down.", 0) == 0 ||
           l.rfind("new.", 0) == 0;
  }));
  // The same addresses and TTL a query gets.
  auto index = ZoneIndex::from_zones({zone});
  CHECK(test::ask(*index, *aliases, "example.com.", RRType::A).answer ==
        Lines{kFlattened[0], kFlattened[1]});
}

TEST_CASE_FIXTURE(Fixture, "AXFR: without flattening results every ALIAS contributes nothing") {
  ZoneTransfer transfer(zone, nullptr, request_for("example.com.", RRType::AXFR));
  check_contents(run(transfer), static_records("example.com.", kZone));
}

TEST_CASE_FIXTURE(Fixture, "AXFR: the question keeps its case; RD and CD are copied") {
  ZoneTransfer transfer(zone, aliases,
                        request_for("EXAMPLE.com.", RRType::AXFR, 1, kFlagRD | kFlagCD));
  Stream s = run(transfer);
  CHECK(s.messages[0].questions[0].qname.to_text() == "EXAMPLE.com.");
  CHECK((s.messages[0].flags & (kFlagRD | kFlagCD)) == (kFlagRD | kFlagCD));
  CHECK((s.messages[0].flags & 0x0080) == 0);  // RA: no recursion here
}

TEST_CASE_FIXTURE(Fixture, "AXFR: an EDNS request gets an OPT in the first message") {
  Query query = make_query("example.com.", RRType::AXFR);
  query.edns.present = true;
  ZoneTransfer transfer(zone, aliases, TransferRequest::of(query), 512);
  Stream s = run(transfer);
  REQUIRE(s.messages.size() > 1);
  CHECK(s.messages[0].opt.has_value());
  CHECK(s.sizes[0] <= 512);
  CHECK_FALSE(s.messages[1].opt.has_value());
  check_contents(s, zone_records());
}

TEST_CASE("AXFR: an RRset larger than a message is split, every message within the limit") {
  std::string text = "$TTL 60\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n";
  for (int i = 0; i < 200; ++i)
    text += "big TXT \"record " + std::to_string(i) + " " + repeated_text(40) + "\"\n";
  ZonePtr zone = zone_from_text("split.test.", text);
  ZoneTransfer transfer(zone, nullptr, request_for("split.test.", RRType::AXFR), 512);
  Stream s = run(transfer);
  CHECK(s.messages.size() > 10);
  for (std::size_t size : s.sizes) CHECK(size <= 512);
  check_headers(s, 0xBEEF, "split.test.", RRType::AXFR);
  Lines records = s.records();
  CHECK(records.size() == 2 + 1 + 1 + 200);
  CHECK(records.front().find(" SOA ") != std::string::npos);
  CHECK(records.back() == records.front());
  Lines middle(records.begin() + 1, records.end() - 1),
      expected = static_records("split.test.", text);
  std::sort(middle.begin(), middle.end());
  std::sort(expected.begin(), expected.end());
  CHECK(middle == expected);
}

TEST_CASE("AXFR: a 10,000-name zone streams in several compressed messages") {
  std::string text = "$TTL 300\n@ SOA ns hostmaster 42 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n";
  for (int i = 0; i < 10000; ++i)
    text += "host" + std::to_string(i) + " A 10." + std::to_string(i / 256 % 256) + "." +
            std::to_string(i % 256) + ".1\n";
  ZonePtr zone = zone_from_text("big.test.", text);
  ZoneTransfer transfer(zone, nullptr, request_for("big.test.", RRType::AXFR));
  Stream s = run(transfer);
  CHECK(s.messages.size() > 5);
  CHECK(transfer.messages() == s.messages.size());
  std::size_t total = 0;
  for (std::size_t size : s.sizes) {
    CHECK(size <= kDefaultTransferMessageSize);
    total += size;
  }
  CHECK(s.records().size() == 10000 + 4);
  // Uncompressed, each host record alone is at least 26 octets ("hostN.big.test." and 14 of
  // type, class, TTL, RDLENGTH and address); compressed owners point at the zone name.
  CHECK(total < 10000 * 26);
  check_headers(s, 0xBEEF, "big.test.", RRType::AXFR);
}

TEST_CASE("AXFR: a record above the target size goes alone in a larger message") {
  std::string text = "$TTL 60\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n";
  text += "huge TXT";
  for (int i = 0; i < 8; ++i) text += " \"" + repeated_text(250) + "\"";
  text += "\n";
  ZonePtr zone = zone_from_text("huge.test.", text);
  ZoneTransfer transfer(zone, nullptr, request_for("huge.test.", RRType::AXFR), 512);
  Stream s = run(transfer);
  CHECK_FALSE(transfer.failed());
  CHECK(std::any_of(s.sizes.begin(), s.sizes.end(), [](std::size_t n) { return n > 2000; }));
  for (std::size_t i = 0; i < s.messages.size(); ++i)
    if (s.sizes[i] > 512) CHECK(s.messages[i].answer.size() == 1);
  CHECK(s.records().size() == 2 + 3);
}

TEST_CASE("AXFR: a record that fits no message ends the stream with SERVFAIL") {
  std::string text = "$TTL 60\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n";
  text += "huge TXT";
  for (int i = 0; i < 8; ++i) text += " \"" + repeated_text(250) + "\"";
  text += "\n";
  ZonePtr zone = zone_from_text("huge.test.", text);
  ZoneTransfer transfer(zone, nullptr, request_for("huge.test.", RRType::AXFR), 512);
  std::vector<std::uint8_t> out(1024);  // the caller's buffer is the hard limit
  std::vector<DecodedMessage> messages;
  while (std::size_t n = transfer.next(out)) {
    auto decoded = decode_message({out.data(), n});
    REQUIRE(decoded.ok());
    messages.push_back(std::move(*decoded));
  }
  CHECK(transfer.failed());
  REQUIRE_FALSE(messages.empty());
  CHECK(messages.back().rcode() == Rcode::ServFail);
  CHECK(messages.back().answer.empty());
  CHECK((messages.back().flags & kFlagAA) == 0);
  for (std::size_t i = 0; i + 1 < messages.size(); ++i)
    CHECK(messages[i].rcode() == Rcode::NoError);
}

TEST_CASE_FIXTURE(Fixture, "the stream keeps its snapshot alive after the index moves on") {
  ZoneTransfer transfer(zone, aliases, request_for("example.com.", RRType::AXFR));
  Lines expected = zone_records();
  zone.reset();
  aliases.reset();
  check_contents(run(transfer), expected);
}

TEST_CASE_FIXTURE(Fixture, "IXFR from a client that is up to date: our SOA alone (RFC 1995 §2)") {
  for (std::uint32_t client : {2024010101u, 2024010102u, 2024010101u + 0x7FFFFFFFu}) {
    ZoneTransfer transfer(zone, aliases, ixfr_request("example.com.", client));
    Stream s = run(transfer);
    REQUIRE(s.messages.size() == 1);
    check_headers(s, 7, "example.com.", RRType::IXFR);
    CHECK(s.records() == Lines{kSoa});
  }
}

TEST_CASE_FIXTURE(Fixture, "IXFR from an older client: the whole zone, AXFR-style (RFC 1995 §4)") {
  // Older, wrapped around, and exactly 2^31 apart (undefined in RFC 1982: not up to date).
  for (std::uint32_t client : {2024010100u, 1u, 2024010101u + 0x80000000u}) {
    ZoneTransfer transfer(zone, aliases, ixfr_request("example.com.", client));
    Stream s = run(transfer);
    check_headers(s, 7, "example.com.", RRType::IXFR);
    check_contents(s, zone_records());
  }
}

TEST_CASE("RFC 1982 comparison decides whether an IXFR client is up to date") {
  CHECK(ixfr_up_to_date(5, 5));
  CHECK(ixfr_up_to_date(5, 6));
  CHECK(ixfr_up_to_date(0xFFFFFFFF, 1));  // wrapped: 1 is newer
  CHECK_FALSE(ixfr_up_to_date(6, 5));
  CHECK_FALSE(ixfr_up_to_date(1, 0xFFFFFFFF));
  CHECK_FALSE(ixfr_up_to_date(0, 0x80000000));
}

TEST_CASE_FIXTURE(Fixture, "only a served apex in class IN can be transferred; else NOTAUTH") {
  auto other = zone_from_text("other.test.", "@ 60 SOA ns hostmaster 1 2 3 4 5\n@ 60 NS ns\n");
  auto index = ZoneIndex::from_zones({zone, other});
  Query apex = make_query("Example.COM.", RRType::AXFR);
  auto decision = classify_transfer(*index, apex);
  CHECK(decision.rcode == Rcode::NoError);
  CHECK(decision.zone == zone);
  CHECK(classify_transfer(*index, make_query("other.test.", RRType::IXFR)).zone == other);
  for (const char* name : {"www.example.com.", "com.", "unknown.test.", "."}) {
    auto refused = classify_transfer(*index, make_query(name, RRType::AXFR));
    CHECK(refused.rcode == Rcode::NotAuth);
    CHECK(refused.zone == nullptr);
  }
  Query chaos = make_query("example.com.", RRType::AXFR);
  chaos.question.qclass = RRClass::CH;
  CHECK(classify_transfer(*index, chaos).rcode == Rcode::NotAuth);
  CHECK(is_transfer_query(apex));
  CHECK_FALSE(is_transfer_query(make_query("example.com.", RRType::SOA)));
}

// --- IXFR from journal versions (RFC 1995 §4) ------------------------------------------------

namespace {

Record record_from(const std::string& text) {
  auto file = read_master_text(text + "\n", *Name::from_text("example.com."));
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.error()));
  REQUIRE(file->records.size() == 1);
  return file->records.front();
}

Record soa_with(std::uint32_t serial) {
  return record_from("@ 3600 IN SOA ns1 hostmaster " + std::to_string(serial) +
                     " 7200 3600 1209600 300");
}

std::string soa_line(std::uint32_t serial) {
  return "example.com. 3600 SOA ns1.example.com. hostmaster.example.com. " +
         std::to_string(serial) + " 7200 3600 1209600 300";
}

}  // namespace

TEST_CASE(
    "IXFR from journal versions: current SOA, then per version old SOA, deletions, new SOA, "
    "additions, and the current SOA last") {
  Fixture f;
  std::vector<ZoneDifference> versions(2);
  versions[0] = {
      soa_with(2024010099),
      {record_from("old 3600 IN A 192.0.2.9")},
      soa_with(2024010100),
      {record_from("new 3600 IN A 192.0.2.10"), record_from("new 3600 IN A 192.0.2.11")}};
  versions[1] = {
      soa_with(2024010100), {}, soa_with(2024010101), {record_from("@ 3600 IN TXT \"apex\"")}};
  auto sequence = std::make_unique<IxfrSequence>(f.zone, versions);
  CHECK(sequence->records() == 4);
  ZoneTransfer transfer(std::move(sequence), ixfr_request("example.com.", 2024010099));
  Stream s = run(transfer);
  check_headers(s, 7, "example.com.", RRType::IXFR);
  CHECK(s.records() == Lines{kSoa, soa_line(2024010099), "old.example.com. 3600 A 192.0.2.9",
                             soa_line(2024010100), "new.example.com. 3600 A 192.0.2.10",
                             "new.example.com. 3600 A 192.0.2.11", soa_line(2024010100), kSoa,
                             "example.com. 3600 TXT \"apex\"", kSoa});
}

TEST_CASE("the journal path: consecutive versions from the client's serial to ours, or none") {
  const std::vector<VersionStep> journal = {{5, 6}, {6, 7}, {7, 9}, {9, 10}};
  using Range = std::pair<std::size_t, std::size_t>;
  CHECK(journal_path(journal, 5, 10) == Range{0, 4});
  CHECK(journal_path(journal, 6, 9) == Range{1, 3});  // the journal may run ahead of the snapshot
  CHECK(journal_path(journal, 9, 10) == Range{3, 4});
  CHECK_FALSE(journal_path(journal, 4, 10));  // older than the history
  CHECK_FALSE(journal_path(journal, 8, 10));  // a serial no version left from
  CHECK_FALSE(journal_path(journal, 5, 8));   // never arrives at ours
  const std::vector<VersionStep> gap = {{5, 6}, {7, 8}};
  CHECK_FALSE(journal_path(gap, 5, 8));
  CHECK_FALSE(journal_path({}, 5, 6));
}

TEST_CASE("IXFR over UDP: the differences when they fit the datagram, else the current SOA") {
  Fixture f;
  std::vector<ZoneDifference> versions(1);
  versions[0] = {soa_with(2024010100),
                 {},
                 soa_with(2024010101),
                 {record_from("new 3600 IN TXT \"" + std::string(200, 'x') + "\""),
                  record_from("new 3600 IN TXT \"" + std::string(200, 'y') + "\"")}};
  const TransferRequest request = ixfr_request("example.com.", 2024010100);
  std::vector<std::uint8_t> out(1232);
  auto decoded_records = [&](std::size_t n) {
    auto m = decode_message({out.data(), n});
    REQUIRE(m.ok());
    CHECK(m->id == 7);
    CHECK((m->flags & kFlagAA) != 0);
    CHECK_FALSE(m->truncated());
    Lines lines;
    for (const Record& r : m->answer) lines.push_back(line(r));
    return lines;
  };
  SUBCASE("fits") {
    std::size_t n =
        ixfr_datagram(f.zone, std::make_unique<IxfrSequence>(f.zone, versions), request, out);
    CHECK(decoded_records(n).size() == 6);
  }
  SUBCASE("does not fit 512 octets") {
    std::size_t n = ixfr_datagram(f.zone, std::make_unique<IxfrSequence>(f.zone, versions), request,
                                  std::span(out).first(512));
    CHECK(n <= 512);
    CHECK(decoded_records(n) == Lines{kSoa});
  }
  SUBCASE("no differences to send") {
    CHECK(decoded_records(ixfr_datagram(f.zone, nullptr, request, out)) == Lines{kSoa});
  }
}
