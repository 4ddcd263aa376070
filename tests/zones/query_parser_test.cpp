// Specification of query parsing: every malformation is an outcome, never a crash.
#include <doctest/doctest.h>

#include <vector>

#include "zones/message.hpp"

using namespace apex;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes header(std::uint16_t flags, std::uint16_t qd, std::uint16_t an = 0, std::uint16_t ns = 0,
             std::uint16_t ar = 0) {
  return {0x12, 0x34, static_cast<std::uint8_t>(flags >> 8), static_cast<std::uint8_t>(flags),
          0, static_cast<std::uint8_t>(qd), 0, static_cast<std::uint8_t>(an),
          0, static_cast<std::uint8_t>(ns), 0, static_cast<std::uint8_t>(ar)};
}

void append(Bytes& b, std::initializer_list<std::uint8_t> more) { b.insert(b.end(), more); }

// "WWW.example." A IN
Bytes query(std::uint16_t ar = 0) {
  Bytes b = header(0x0100, 1, 0, 0, ar);
  append(b, {3, 'W', 'W', 'W', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1});
  return b;
}

// OPT with the given payload, version and RDATA.
void append_opt(Bytes& b, std::uint16_t payload, std::uint8_t version, Bytes rdata = {},
                bool dnssec_ok = false) {
  append(b, {0, 0, 41, static_cast<std::uint8_t>(payload >> 8),
             static_cast<std::uint8_t>(payload), 0, version,
             static_cast<std::uint8_t>(dnssec_ok ? 0x80 : 0), 0, 0,
             static_cast<std::uint8_t>(rdata.size())});
  b.insert(b.end(), rdata.begin(), rdata.end());
}

ParseOutcome parse(const Bytes& b, Query& q) { return parse_query(b, q); }

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
