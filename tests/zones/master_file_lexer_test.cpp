// Specification of the master-file lexer reading from a source a piece at a time: the same
// entries and the same errors (with their lines) as from the whole text, wherever the pieces
// end.
#include "zones/master_file_lexer.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace apex;

namespace {

// Gives text piece octets at a time, and counts how far it was read.
class PieceSource final : public MasterSource {
 public:
  PieceSource(std::string text, std::size_t piece) : text_(std::move(text)), piece_(piece) {}
  Result<std::size_t> read_more(std::string& out) override {
    const std::size_t n = std::min(piece_, text_.size() - given_);
    out.append(text_, given_, n);
    given_ += n;
    return n;
  }
  std::size_t given() const { return given_; }

 private:
  std::string text_;
  std::size_t piece_;
  std::size_t given_ = 0;
};

// Entries as "LINE[ owner-omitted]: field|field|…", or "error at LINE: message" at the end.
std::vector<std::string> entries(MasterLexer& lexer) {
  std::vector<std::string> out;
  for (;;) {
    auto e = lexer.next();
    if (!e) {
      out.push_back("error at " + std::to_string(lexer.error_line()) + ": " + e.error());
      return out;
    }
    if (!*e) return out;
    std::string line = std::to_string((*e)->line) + ((*e)->owner_omitted ? " omitted" : "") + ":";
    for (const auto& f : (*e)->fields) line += " " + f + "|";
    out.push_back(line);
  }
}

std::vector<std::string> whole(const std::string& text, MasterLexer::Options options = {}) {
  MasterLexer lexer(text, options);
  return entries(lexer);
}

std::vector<std::string> in_pieces(const std::string& text, std::size_t piece,
                                   MasterLexer::Options options = {}) {
  PieceSource source(text, piece);
  MasterLexer lexer(source, options);
  return entries(lexer);
}

const std::string kZone =
    "$ORIGIN example.com.\n"
    "@ 3600 IN SOA ns1 hostmaster ( ; comment inside\n"
    "        2024010101 ; serial\n"
    "        2h 15m 2w 5m )\n"
    "\tIN NS ns1\n"
    "txt 60 TXT ( \"one; not a comment\"\n"
    "             \"two (not a paren)\" ) ; trailing comment\n"
    "esc TXT a\\ b \"q\\\"uote\" \\059\r\n"
    "; only a comment\n"
    "\n"
    "last A 192.0.2.1";  // no line end at the end

}  // namespace

TEST_CASE("a source read in pieces of any size gives the entries of the whole text") {
  const auto expected = whole(kZone);
  REQUIRE(expected.size() == 6);
  CHECK(expected[1] == "2: @| 3600| IN| SOA| ns1| hostmaster| 2024010101| 2h| 15m| 2w| 5m|");
  CHECK(expected[2] == "5 omitted: IN| NS| ns1|");
  CHECK(expected[5] == "11: last| A| 192.0.2.1|");
  for (std::size_t piece : {1, 2, 3, 7, 16, 100, 4096}) {
    CAPTURE(piece);
    CHECK(in_pieces(kZone, piece) == expected);
  }
}

TEST_CASE("errors from a source in pieces name the same line as from the whole text") {
  const std::vector<std::string> broken = {
      "a TXT \"no closing quote\nb A 192.0.2.1\n",
      "a A 192.0.2.1\nb TXT ( \"x\"\n\n",
      "a A 192.0.2.1\n) b\n",
      "a TXT back\\",
  };
  for (const auto& text : broken) {
    const auto expected = whole(text);
    REQUIRE(expected.back().starts_with("error at "));
    for (std::size_t piece : {1, 4, 64}) {
      CAPTURE(text);
      CAPTURE(piece);
      CHECK(in_pieces(text, piece) == expected);
    }
  }
}

TEST_CASE("a line over the limit is refused after reading little more than the limit") {
  MasterLexer::Options options;
  options.max_line_octets = 100;
  const std::string text = "a A 192.0.2.1\nb TXT " + std::string(1'000'000, 'x') + "\n";
  CHECK(whole(text, options).back() == "error at 2: line longer than 100 octets");
  PieceSource source(text, 16);
  MasterLexer lexer(source, options);
  CHECK(entries(lexer).back() == "error at 2: line longer than 100 octets");
  CHECK(source.given() < 1000);
}

TEST_CASE("the buffer holds the entry being read, not the text before it") {
  // 20000 short entries read 16 octets at a time: each refill drops what was read.
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "n" + std::to_string(i) + " A 192.0.2.1\n";
  PieceSource source(text, 16);
  MasterLexer::Options options;
  options.max_line_octets = 0;  // no look-ahead for the line limit
  MasterLexer lexer(source, options);
  std::size_t count = 0;
  std::size_t most = 0;
  for (auto e = lexer.next(); e && *e; e = lexer.next()) {
    ++count;
    most = std::max(most, lexer.buffered_octets());
  }
  CHECK(count == 20000);
  CHECK(most <= 64);
  CHECK(source.given() == text.size());
}
