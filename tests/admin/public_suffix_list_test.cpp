// Specification of the Public Suffix List matcher (publicsuffix.org/list/ format) on a small
// inline list: rules, wildcards and their exceptions, the implicit "*" rule, names above a
// suffix, the PRIVATE section, Unicode rules in A-label form (RFC 3492 Punycode).
#include "admin/public_suffix_list.hpp"

#include <doctest/doctest.h>

#include "admin/punycode.hpp"

namespace apex::admin {
namespace {

constexpr const char* kList = R"(// A comment line.
// ===BEGIN ICANN DOMAINS===
com
uk
co.uk
*.ck
!www.ck
公司.cn
cn
// ===END ICANN DOMAINS===
// ===BEGIN PRIVATE DOMAINS===
github.io
s3.amazonaws.com   trailing words are ignored
// ===END PRIVATE DOMAINS===
)";

const PublicSuffixList& list() {
  static const PublicSuffixList kParsed = PublicSuffixList::parse(kList).value();
  return kParsed;
}

Name name(std::string_view text) {
  return Name::from_text(text).value();
}

// "SUFFIX SECTION", or "" when the zone is allowed.
std::string covered(std::string_view zone) {
  auto found = list().covered(name(zone));
  if (!found) return "";
  return found->suffix.to_text() + " " + std::string(to_text(found->section));
}

}  // namespace

TEST_CASE("a listed rule is a public suffix; names below it are registrable") {
  CHECK(covered("com.") == "com. ICANN");
  CHECK(covered("CO.UK.") == "co.uk. ICANN");
  CHECK(covered("uk.") == "uk. ICANN");
  CHECK(covered("example.com.") == "");
  CHECK(covered("shop.example.co.uk.") == "");
  CHECK(covered("example.co.uk.") == "");
}

TEST_CASE("wildcards make every label below a suffix, except the exceptions") {
  CHECK(covered("anything.ck.") == "anything.ck. ICANN");
  CHECK(covered("www.ck.") == "");  // "!www.ck": registrable
  CHECK(covered("shop.anything.ck.") == "");
  // ck itself is above the suffixes "*.ck" makes.
  CHECK(covered("ck.") == "ck. ICANN");
}

TEST_CASE("an unlisted top-level label is a public suffix (the list's implicit \"*\" rule)") {
  CHECK(covered("example.") == "example. ICANN");
  CHECK(covered("shop.example.") == "");
}

TEST_CASE("names above a suffix and the root are covered too") {
  CHECK(covered("amazonaws.com.") == "s3.amazonaws.com. PRIVATE");
  CHECK(covered(".") == ". ICANN");
  CHECK(list().covered(Name())->suffix.is_root());
}

TEST_CASE("the PRIVATE section counts, and says so") {
  CHECK(covered("github.io.") == "github.io. PRIVATE");
  CHECK(covered("s3.amazonaws.com.") == "s3.amazonaws.com. PRIVATE");
  CHECK(covered("someone.github.io.") == "");
  CHECK(covered("bucket.s3.amazonaws.com.") == "");
}

TEST_CASE("Unicode rules match their A-labels") {
  CHECK(covered("xn--55qx5d.cn.") == "xn--55qx5d.cn. ICANN");
  CHECK(covered("shop.xn--55qx5d.cn.") == "");
}

TEST_CASE("an unusable list is an error, not an empty list") {
  CHECK_FALSE(PublicSuffixList::parse("// only comments\n").ok());
  auto bad = PublicSuffixList::parse("com\nbad..name\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().starts_with("line 2: "));
  auto missing = PublicSuffixList::load("/nonexistent/public_suffix_list.dat");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error() == "cannot read /nonexistent/public_suffix_list.dat");
}

TEST_CASE("Punycode A-labels (RFC 3492 §7.1 and IDNA examples)") {
  CHECK(to_a_label("example") == "example");
  CHECK(to_a_label("bücher") == "xn--bcher-kva");
  CHECK(to_a_label("公司") == "xn--55qx5d");
  CHECK(to_a_label("中国") == "xn--fiqs8s");
  CHECK(to_a_label("рф") == "xn--p1ai");
  // RFC 3492 §7.1 (B) Chinese (simplified), lower-cased.
  CHECK(to_a_label("他们为什么不说中文") == "xn--ihqwcrb4cv8a8dqg056pqjye");
  CHECK_FALSE(to_a_label("\xC3").has_value());  // truncated UTF-8
}

}  // namespace apex::admin
