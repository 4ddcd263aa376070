// Specification of domain names: presentation form, wire form, comparison and order.
#include "zones/name.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using namespace apex;

namespace {
Name N(const char* text) {
  return *Name::from_text(text);
}
}  // namespace

TEST_CASE("absolute and relative names") {
  CHECK(N("www.example.com.").to_text() == "www.example.com.");
  CHECK(N("www.example.com").to_text() == "www.example.com.");
  auto relative = Name::from_text("www", N("example.com."));
  CHECK(relative->to_text() == "www.example.com.");
  CHECK(Name::from_text("@", N("example.com."))->to_text() == "example.com.");
  CHECK(N(".").is_root());
  CHECK(N(".").to_text() == ".");
}

TEST_CASE("wire form has length-prefixed labels and a root label") {
  Name name = N("ab.c.");
  auto wire = name.wire();
  std::vector<std::uint8_t> expect{2, 'a', 'b', 1, 'c', 0};
  CHECK(std::equal(wire.begin(), wire.end(), expect.begin(), expect.end()));
  CHECK(N("ab.c.").label_count() == 2);
}

TEST_CASE("escapes: \\. inside a label and \\DDD octets") {
  auto n = N("a\\.b.example.");
  CHECK(n.label_count() == 2);
  CHECK(n.first_label() == "a.b");
  CHECK(n.to_text() == "a\\.b.example.");
  auto odd = N("\\000\\255x.example.");
  CHECK(odd.first_label().size() == 3);
  CHECK(odd.to_text() == "\\000\\255x.example.");
}

TEST_CASE("invalid names are errors with a reason") {
  CHECK(Name::from_text("a..b").error() == "invalid name 'a..b': empty label");
  CHECK_FALSE(Name::from_text(std::string(64, 'a') + ".example.").ok());
  CHECK(Name::from_text(std::string(63, 'a') + ".example.").ok());
  std::string long_name;
  for (int i = 0; i < 64; ++i) long_name += "abc.";
  CHECK(Name::from_text(long_name).error().find("longer than 255") != std::string::npos);
  CHECK_FALSE(Name::from_text("a\\25").ok());
  CHECK_FALSE(Name::from_text("a\\256.b").ok());
  CHECK_FALSE(Name::from_text("").ok());
}

TEST_CASE("from_wire checks labels and termination") {
  std::vector<std::uint8_t> good{3, 'w', 'w', 'w', 0};
  CHECK(Name::from_wire(good)->to_text() == "www.");
  std::vector<std::uint8_t> unterminated{3, 'w', 'w', 'w'};
  CHECK_FALSE(Name::from_wire(unterminated).ok());
  std::vector<std::uint8_t> trailing{0, 1};
  CHECK_FALSE(Name::from_wire(trailing).ok());
  std::vector<std::uint8_t> pointer{0xC0, 12};
  CHECK_FALSE(Name::from_wire(pointer).ok());
}

TEST_CASE("comparison ignores ASCII case only (RFC 4343)") {
  CHECK(N("WWW.Example.COM.") == N("www.example.com."));
  CHECK(N("WWW.Example.COM.").hash() == N("www.example.com.").hash());
  CHECK_FALSE(N("www.example.com.") == N("www.example.org."));
  CHECK(N("WWW.Example.").lowercased().to_text() == "www.example.");
}

TEST_CASE("subdomains, parents and prepending") {
  CHECK(N("a.b.example.").is_subdomain_of(N("example.")));
  CHECK(N("example.").is_subdomain_of(N("EXAMPLE.")));
  CHECK_FALSE(N("notexample.").is_subdomain_of(N("example.")));
  CHECK(N("a.b.example.").parent() == N("b.example."));
  CHECK(N(".").parent().is_root());
  CHECK(N("example.").prepend("*")->is_wildcard());
}

TEST_CASE("canonical order (RFC 4034 §6.1 example)") {
  std::vector<Name> names{
      N("z.example."),          N("\\001.z.example."), N("*.z.example."),    N("a.example."),
      N("yljkjljk.a.example."), N("Z.a.example."),     N("zABC.a.EXAMPLE."), N("example."),
      N("\\200.z.example.")};
  std::sort(names.begin(), names.end(), CanonicalLess{});
  std::vector<std::string> text;
  for (const auto& n : names) text.push_back(n.to_text());
  CHECK(text == std::vector<std::string>{"example.", "a.example.", "yljkjljk.a.example.",
                                         "Z.a.example.", "zABC.a.EXAMPLE.", "z.example.",
                                         "\\001.z.example.", "*.z.example.", "\\200.z.example."});
}
