// Specification of query parsing: every malformation is an outcome, never a crash.
#include <doctest/doctest.h>

#include <vector>

#include "zones/message.hpp"

using namespace apex;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes header(std::uint16_t flags, std::uint16_t qd, std::uint16_t an = 0, std::uint16_t ns = 0,
             std::uint16_t ar = 0) {
  return {0x12,
          0x34,
          static_cast<std::uint8_t>(flags >> 8),
          static_cast<std::uint8_t>(flags),
          0,
          static_cast<std::uint8_t>(qd),
          0,
          static_cast<std::uint8_t>(an),
          0,
          static_cast<std::uint8_t>(ns),
          0,
          static_cast<std::uint8_t>(ar)};
}

void append(Bytes& b, std::initializer_list<std::uint8_t> more) {
  b.insert(b.end(), more);
}

// "WWW.example." A IN
Bytes query(std::uint16_t ar = 0) {
  Bytes b = header(0x0100, 1, 0, 0, ar);
  append(b, {3, 'W', 'W', 'W', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1});
  return b;
}

// OPT with the given payload, version and RDATA.
void append_opt(Bytes& b, std::uint16_t payload, std::uint8_t version, Bytes rdata = {},
                bool dnssec_ok = false) {
  append(b, {0, 0, 41, static_cast<std::uint8_t>(payload >> 8), static_cast<std::uint8_t>(payload),
             0, version, static_cast<std::uint8_t>(dnssec_ok ? 0x80 : 0), 0, 0,
             static_cast<std::uint8_t>(rdata.size())});
  b.insert(b.end(), rdata.begin(), rdata.end());
}

ParseOutcome parse(const Bytes& b, Query& q) {
  return parse_query(b, q);
}

}  // namespace

TEST_CASE("a plain query parses with both case forms of the name") {
  Query q;
  REQUIRE(parse(query(), q) == ParseOutcome::kQuery);
  CHECK(q.id == 0x1234);
  CHECK(q.question.qtype == RRType::A);
  CHECK(q.question.labels == 2);
  CHECK(q.question.name().substr(1, 3) == "WWW");
  CHECK(q.question.lower_name().substr(1, 3) == "www");
  CHECK(q.question.lower_suffix(1) == std::string_view("\7example\0", 9));
  CHECK_FALSE(q.edns.present);
}

TEST_CASE("EDNS(0): payload, DO bit, unknown options ignored (RFC 6891)") {
  Query q;
  Bytes b = query(1);
  append_opt(b, 4096, 0, {0xFF, 0x01, 0, 2, 0xAB, 0xCD}, true);
  REQUIRE(parse(b, q) == ParseOutcome::kQuery);
  CHECK(q.edns.present);
  CHECK(q.edns.udp_payload == 4096);
  CHECK(q.edns.dnssec_ok);
  Bytes small = query(1);
  append_opt(small, 100, 0);
  REQUIRE(parse(small, q) == ParseOutcome::kQuery);
  CHECK(q.edns.udp_payload == 512);  // values below 512 are treated as 512
}

TEST_CASE("drops: short header and responses") {
  Query q;
  CHECK(parse(Bytes{1, 2, 3}, q) == ParseOutcome::kDrop);
  Bytes response = query();
  response[2] |= 0x80;
  CHECK(parse(response, q) == ParseOutcome::kDrop);
}

TEST_CASE("FORMERR: malformed questions") {
  Query q;
  Bytes truncated = query();
  truncated.resize(truncated.size() - 3);
  CHECK(parse(truncated, q) == ParseOutcome::kFormErr);

  Bytes pointer_loop = header(0, 1);
  append(pointer_loop, {0xC0, 12, 0, 1, 0, 1});
  CHECK(parse(pointer_loop, q) == ParseOutcome::kFormErr);

  Bytes forward = header(0, 1);
  append(forward, {0xC0, 20, 0, 1, 0, 1, 0, 0, 0, 0});
  CHECK(parse(forward, q) == ParseOutcome::kFormErr);

  Bytes long_label = header(0, 1);
  long_label.push_back(64);
  long_label.insert(long_label.end(), 64, 'a');
  append(long_label, {0, 0, 1, 0, 1});
  CHECK(parse(long_label, q) == ParseOutcome::kFormErr);

  Bytes long_name = header(0, 1);
  for (int i = 0; i < 5; ++i) {
    long_name.push_back(60);
    long_name.insert(long_name.end(), 60, 'a');
  }
  append(long_name, {0, 0, 1, 0, 1});
  CHECK(parse(long_name, q) == ParseOutcome::kFormErr);
}

TEST_CASE("FORMERR: question counts other than one, answers in a query, trailing octets") {
  Query q;
  CHECK(parse(header(0, 0), q) == ParseOutcome::kFormErr);
  Bytes two = query();
  two[5] = 2;
  append(two, {0, 0, 1, 0, 1});
  CHECK(parse(two, q) == ParseOutcome::kFormErr);
  Bytes with_answer = query();
  with_answer[7] = 1;
  CHECK(parse(with_answer, q) == ParseOutcome::kFormErr);
  Bytes trailing = query();
  trailing.push_back(0);
  CHECK(parse(trailing, q) == ParseOutcome::kFormErr);
}

TEST_CASE("FORMERR: two OPT records, OPT not at the root, bad option lengths") {
  Query q;
  Bytes two = query(2);
  append_opt(two, 1232, 0);
  append_opt(two, 1232, 0);
  CHECK(parse(two, q) == ParseOutcome::kFormErr);

  Bytes bad_option = query(1);
  append_opt(bad_option, 1232, 0, {0, 10, 0, 9, 1});
  CHECK(parse(bad_option, q) == ParseOutcome::kFormErr);

  Bytes bad_rdlength = query(1);
  append_opt(bad_rdlength, 1232, 0);
  bad_rdlength.back() = 40;  // RDLENGTH beyond the packet
  CHECK(parse(bad_rdlength, q) == ParseOutcome::kFormErr);

  Bytes not_root = query(1);
  append(not_root, {1, 'x', 0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0});
  CHECK(parse(not_root, q) == ParseOutcome::kFormErr);
}

TEST_CASE("BADVERS for EDNS versions above 0; NOTIMP for other opcodes") {
  Query q;
  Bytes v1 = query(1);
  append_opt(v1, 1232, 1);
  CHECK(parse(v1, q) == ParseOutcome::kBadVers);
  CHECK(q.edns.present);

  Bytes status = query();
  status[2] = 0x10;  // opcode 2 (STATUS)
  CHECK(parse(status, q) == ParseOutcome::kNotImp);
  CHECK(q.has_question);
}

namespace {

// "Example." IXFR IN with ns records in the authority section (added by the caller).
Bytes ixfr_query(std::uint16_t ns, std::uint16_t ar = 0) {
  Bytes b = header(0, 1, 0, ns, ar);
  append(b, {7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 251, 0, 1});
  return b;
}

// An SOA record: owner as given (wire, maybe a pointer), class, and RDATA with compressed
// MNAME ("ns" + pointer to the question name) and RNAME (pointer), then five counters.
void append_soa(Bytes& b, Bytes owner, std::uint32_t serial, std::uint16_t rrclass = 1,
                std::uint16_t type = 6, std::size_t extra = 0) {
  b.insert(b.end(), owner.begin(), owner.end());
  Bytes rdata = {2, 'n', 's', 0xC0, 12, 0xC0, 12};
  for (std::uint32_t v : {serial, 7200u, 3600u, 1209600u, 300u})
    append(rdata, {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                   static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)});
  rdata.insert(rdata.end(), extra, 0);
  append(b, {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type),
             static_cast<std::uint8_t>(rrclass >> 8), static_cast<std::uint8_t>(rrclass), 0, 0, 0,
             60, 0, static_cast<std::uint8_t>(rdata.size())});
  b.insert(b.end(), rdata.begin(), rdata.end());
}

const Bytes kQuestionPointer = {0xC0, 12};

}  // namespace

TEST_CASE("IXFR: the client's SOA serial is read from the authority section (RFC 1995 §3)") {
  Query q;
  Bytes compressed = ixfr_query(1);
  append_soa(compressed, kQuestionPointer, 2024010199);
  REQUIRE(parse(compressed, q) == ParseOutcome::kQuery);
  CHECK(q.question.qtype == RRType::IXFR);
  CHECK(q.has_client_serial);
  CHECK(q.client_serial == 2024010199u);

  Bytes spelled_out = ixfr_query(1);  // the owner in full, in another case
  append_soa(spelled_out, {7, 'e', 'X', 'A', 'M', 'P', 'L', 'E', 0}, 5);
  REQUIRE(parse(spelled_out, q) == ParseOutcome::kQuery);
  CHECK(q.client_serial == 5u);

  // The next query through the same Query carries no serial.
  REQUIRE(parse(query(), q) == ParseOutcome::kQuery);
  CHECK_FALSE(q.has_client_serial);
}

TEST_CASE("FORMERR: an IXFR without exactly one SOA for its zone and class") {
  Query q;
  CHECK(parse(ixfr_query(0), q) == ParseOutcome::kFormErr);  // no SOA
  Bytes two = ixfr_query(2);
  append_soa(two, kQuestionPointer, 1);
  append_soa(two, kQuestionPointer, 2);
  CHECK(parse(two, q) == ParseOutcome::kFormErr);
  Bytes other_name = ixfr_query(1);
  append_soa(other_name, {5, 'o', 't', 'h', 'e', 'r', 0}, 1);
  CHECK(parse(other_name, q) == ParseOutcome::kFormErr);
  Bytes parent_name = ixfr_query(1);
  append_soa(parent_name, {0}, 1);
  CHECK(parse(parent_name, q) == ParseOutcome::kFormErr);
  Bytes chaos = ixfr_query(1);
  append_soa(chaos, kQuestionPointer, 1, 3);
  CHECK(parse(chaos, q) == ParseOutcome::kFormErr);
  Bytes not_soa = ixfr_query(1);
  append_soa(not_soa, kQuestionPointer, 1, 1, 16);  // TXT
  CHECK(parse(not_soa, q) == ParseOutcome::kFormErr);
  Bytes long_rdata = ixfr_query(1);
  append_soa(long_rdata, kQuestionPointer, 1, 1, 6, 1);
  CHECK(parse(long_rdata, q) == ParseOutcome::kFormErr);
  Bytes cut_short = ixfr_query(1);
  append_soa(cut_short, kQuestionPointer, 1);
  cut_short.pop_back();
  CHECK(parse(cut_short, q) == ParseOutcome::kFormErr);
  Bytes forward = ixfr_query(1);
  append_soa(forward, {0xC0, 40}, 1);  // points forward into its own record
  CHECK(parse(forward, q) == ParseOutcome::kFormErr);
}

TEST_CASE("FORMERR: an authority section in any query but IXFR") {
  Query q;
  Bytes axfr = header(0, 1, 0, 1);
  append(axfr, {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 252, 0, 1});
  append_soa(axfr, kQuestionPointer, 1);
  CHECK(parse(axfr, q) == ParseOutcome::kFormErr);
  Bytes a = query();
  a[9] = 1;
  append_soa(a, kQuestionPointer, 1);
  CHECK(parse(a, q) == ParseOutcome::kFormErr);
}

TEST_CASE("IXFR: EDNS and a closing TSIG are read after the authority SOA") {
  Query q;
  Bytes b = ixfr_query(1, 2);
  append_soa(b, kQuestionPointer, 9);
  append_opt(b, 1232, 0);
  // TSIG "key." ANY, TTL 0; RDATA: algorithm "alg.", Time Signed, Fudge, MAC Size 0,
  // Original ID, Error, Other Len.
  append(b, {3, 'k', 'e', 'y', 0, 0, 250, 0, 255, 0, 0, 0, 0, 0, 21});
  append(b, {3, 'a', 'l', 'g', 0});
  append(b, {0, 0, 0, 0, 0, 1, 1, 44, 0, 0, 0x12, 0x34, 0, 0, 0, 0});
  CHECK(parse(b, q) == ParseOutcome::kSigned);
  CHECK(q.tsig.present);
  CHECK(q.edns.present);
  CHECK(q.client_serial == 9u);
}
