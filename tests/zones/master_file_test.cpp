// Specification of the RFC 1035 §5 master-file reader and writer: zone text in, records out
// (owner, TTL, type, RDATA), or the exact "FILE:LINE: message" error.
#include "zones/master_file.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include <sys/stat.h>

#include "zones/alias_table.hpp"
#include "zones/rdata.hpp"

using namespace apex;
namespace fs = std::filesystem;

namespace {

Name name(std::string_view text) {
  return *Name::from_text(text);
}

const Name& example() {
  static const Name origin = name("example.com.");
  return origin;
}

MasterFile load(std::string_view text, const Name& origin = example()) {
  auto zone = read_master_text(text, origin);
  if (!zone) FAIL(zone.error());
  return *zone;
}

std::string load_error(std::string_view text) {
  auto zone = read_master_text(text, example());
  CHECK_FALSE(zone.ok());
  return zone ? std::string("(no error)") : zone.error();
}

// "owner TTL TYPE rdata" for compact comparisons.
std::string show(const Record& r) {
  return r.owner.to_text() + " " + std::to_string(r.ttl) + " " + rrtype_to_text(r.type) + " " +
         rdata_to_text(r.type, r.rdata);
}

std::vector<std::string> shown(const MasterFile& zone) {
  std::vector<std::string> out;
  for (const auto& r : zone.records) out.push_back(show(r));
  return out;
}

using Lines = std::vector<std::string>;

constexpr const char* kSoa = "@ 3600 IN SOA ns1 hostmaster 1 7200 900 1209600 300\n";

// A scratch directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = fs::temp_directory_path() / ("apex-master-file-" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& relative, std::string_view text) const {
    fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  fs::path path_;
};

MasterFileOptions includes_below(const fs::path& root) {
  MasterFileOptions options;
  options.include_root = root;
  return options;
}

MasterFileOptions includes_below(const TempDir& dir) {
  return includes_below(dir.path());
}

}  // namespace

TEST_CASE("a simple zone") {
  auto zone = load(
      "$TTL 3600\n"
      "@ IN SOA ns1 hostmaster 2024010101 7200 900 1209600 300\n"
      "@ IN NS ns1\n"
      "ns1 IN A 192.0.2.1\n"
      "www 300 IN AAAA 2001:db8::1\n");
  CHECK(zone.origin == example());
  CHECK(shown(zone) ==
        Lines{"example.com. 3600 SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 "
              "900 1209600 300",
              "example.com. 3600 NS ns1.example.com.", "ns1.example.com. 3600 A 192.0.2.1",
              "www.example.com. 300 AAAA 2001:db8::1"});
  CHECK(zone.records[2].rrclass == RRClass::IN);
  CHECK(zone.records[2].rdata == std::vector<std::uint8_t>{192, 0, 2, 1});
}

TEST_CASE("$ORIGIN changes where relative names end; '@' is the current origin") {
  auto zone = load(std::string(kSoa) +
                   "$ORIGIN sub.example.com.\n"
                   "@ 60 A 192.0.2.1\n"
                   "www 60 CNAME @\n"
                   "$ORIGIN deeper\n"  // relative: below the current origin
                   "x 60 MX 10 mail\n");
  CHECK(shown(zone) == Lines{show(zone.records[0]), "sub.example.com. 60 A 192.0.2.1",
                             "www.sub.example.com. 60 CNAME sub.example.com.",
                             "x.deeper.sub.example.com. 60 MX 10 mail.deeper.sub.example.com."});
  CHECK(zone.origin == example());
}

TEST_CASE("absolute names stay as written, and owners keep their case") {
  auto zone = load(std::string(kSoa) + "WWW.Example.COM. 60 A 192.0.2.1\nMail 60 A 192.0.2.2\n");
  CHECK(zone.records[1].owner.to_text() == "WWW.Example.COM.");
  CHECK(zone.records[2].owner.to_text() == "Mail.example.com.");
}

TEST_CASE("an entry starting with blank space reuses the previous owner") {
  auto zone = load(std::string(kSoa) +
                   "www 60 A 192.0.2.1\n"
                   "    60 A 192.0.2.2\n"
                   "\t60 TXT \"t\"\n");
  CHECK(shown(zone) == Lines{show(zone.records[0]), "www.example.com. 60 A 192.0.2.1",
                             "www.example.com. 60 A 192.0.2.2", "www.example.com. 60 TXT \"t\""});
}

TEST_CASE("TTL and class may be omitted or given in either order") {
  auto zone = load(std::string(kSoa) +
                   "a 100 IN A 192.0.2.1\n"
                   "b IN 200 A 192.0.2.2\n"
                   "c IN A 192.0.2.3\n"
                   "d 300 A 192.0.2.4\n"
                   "e A 192.0.2.5\n");
  CHECK(shown(zone) == Lines{show(zone.records[0]), "a.example.com. 100 A 192.0.2.1",
                             "b.example.com. 200 A 192.0.2.2", "c.example.com. 200 A 192.0.2.3",
                             "d.example.com. 300 A 192.0.2.4", "e.example.com. 300 A 192.0.2.5"});
}

TEST_CASE("TTLs accept BIND units") {
  auto zone = load(
      "$TTL 1h30m\n"
      "@ SOA ns1 hostmaster 1 2h 15M 2w 1d\n"
      "a A 192.0.2.1\n"
      "b 1W A 192.0.2.2\n"
      "c 90s A 192.0.2.3\n");
  CHECK(shown(zone) == Lines{"example.com. 5400 SOA ns1.example.com. hostmaster.example.com. 1 "
                             "7200 900 1209600 86400",
                             "a.example.com. 5400 A 192.0.2.1", "b.example.com. 604800 A 192.0.2.2",
                             "c.example.com. 90 A 192.0.2.3"});
}

TEST_CASE("default TTL: $TTL, else the last explicit TTL (RFC 1035 §5.1)") {
  auto zone = load(
      "@ 3600 SOA ns1 hostmaster 1 7200 900 1209600 300\n"
      "a A 192.0.2.1\n"  // last explicit: 3600
      "b 60 A 192.0.2.2\n"
      "c A 192.0.2.3\n"  // last explicit: 60
      "$TTL 900\n"
      "d A 192.0.2.4\n"  // $TTL wins from here on
      "e 30 A 192.0.2.5\n"
      "f A 192.0.2.6\n");
  std::vector<std::uint32_t> ttls;
  for (const auto& r : zone.records) ttls.push_back(r.ttl);
  CHECK(ttls == std::vector<std::uint32_t>{3600, 3600, 60, 60, 900, 30, 900});
}

TEST_CASE("default TTL without $TTL or any TTL is the SOA MINIMUM, as in BIND") {
  auto zone = load(
      "a A 192.0.2.1\n"
      "@ SOA ns1 hostmaster 1 7200 900 1209600 1h\n"
      "b A 192.0.2.2\n");
  for (const auto& r : zone.records) CHECK(r.ttl == 3600);
  CHECK(load_error("a A 192.0.2.1\nb A 192.0.2.2\n") ==
        "<text>:1: no TTL: give one, or a $TTL, or an SOA record");
}

TEST_CASE("parentheses join lines; comments and blank lines are ignored") {
  auto zone = load(
      "; a zone\n"
      "\n"
      "@ 3600 IN SOA ns1 hostmaster ( ; comment inside\n"
      "        2024010101 ; serial\n"
      "        2h         ; refresh\n"
      "\n"
      "        15m 2w 5m )\n"
      "   \t \n"
      "txt 60 TXT ( \"one; not a comment\"\n"
      "             \"two (not a paren)\" ) ; trailing comment\n");
  CHECK(shown(zone) ==
        Lines{"example.com. 3600 SOA ns1.example.com. hostmaster.example.com. "
              "2024010101 7200 900 1209600 300",
              "txt.example.com. 60 TXT \"one; not a comment\" \"two (not a paren)\""});
}

TEST_CASE("CRLF line endings") {
  auto zone = load(
      "$TTL 60\r\n"
      "@ SOA ns1 hostmaster 1 2 3 4 5\r\n"
      "www A 192.0.2.1\r\n"
      "\r\n"
      "txt TXT \"x\"\r\n");
  CHECK(shown(zone) ==
        Lines{"example.com. 60 SOA ns1.example.com. hostmaster.example.com. 1 2 3 4 5",
              "www.example.com. 60 A 192.0.2.1", "txt.example.com. 60 TXT \"x\""});
}

TEST_CASE("quoted strings keep escapes and blank space") {
  auto zone = load(std::string(kSoa) + "t 60 TXT \"a \\\"b\\\" \\059 c\" d\\ e\n");
  CHECK(show(zone.records[1]) == "t.example.com. 60 TXT \"a \\\"b\\\" ; c\" \"d e\"");
}

TEST_CASE("generic types and RDATA (RFC 3597 §5)") {
  auto zone = load(std::string(kSoa) +
                   "a 60 TYPE65280 \\# 3 ABCDEF\n"
                   "b 60 TYPE1 \\# 4 C0000201\n"
                   "c 60 ALIAS lb.example.net.\n"
                   "d 60 CLASS1 A 192.0.2.2\n");
  CHECK(shown(zone) == Lines{show(zone.records[0]), "a.example.com. 60 TYPE65280 \\# 3 ABCDEF",
                             "b.example.com. 60 A 192.0.2.1",
                             "c.example.com. 60 ALIAS lb.example.net.",
                             "d.example.com. 60 A 192.0.2.2"});
}

TEST_CASE("errors name the text and line") {
  CHECK(load_error(std::string(kSoa) + "a 60 CH A 192.0.2.1\n") ==
        "<text>:2: class CH is not supported, only IN");
  CHECK(load_error(std::string(kSoa) + "\n\na 60 FOO 1\n") ==
        "<text>:4: unknown record type 'FOO'");
  CHECK(load_error(std::string(kSoa) + "a 60 IN ANY \\# 0\n") ==
        "<text>:2: type ANY cannot be used in zone data");
  CHECK(load_error(std::string(kSoa) + "a 60 TYPE41 \\# 0\n") ==
        "<text>:2: type OPT cannot be used in zone data");
  CHECK(load_error(std::string(kSoa) + "a 60 MX 70000 mail\n") ==
        "<text>:2: MX preference: '70000' is not a number from 0 to 65535");
  CHECK(load_error(std::string(kSoa) + "a 60\n") == "<text>:2: missing record type");
  CHECK(load_error(std::string(kSoa) + "a 60 IN\n") == "<text>:2: missing record type");
  CHECK(load_error(std::string(kSoa) + "a 1x A 192.0.2.1\n") ==
        "<text>:2: TTL '1x' is not a number from 0 to 2147483647 or a time such as 1h30m");
  CHECK(load_error(std::string(kSoa) + "a 2147483648 A 192.0.2.1\n") ==
        "<text>:2: TTL '2147483648' is not a number from 0 to 2147483647 or a time such as 1h30m");
  CHECK(load_error(std::string(kSoa) + "a..b 60 A 192.0.2.1\n") ==
        "<text>:2: owner: invalid name 'a..b': empty label");
  CHECK(load_error(" 60 A 192.0.2.1\n") ==
        "<text>:1: no owner: the first record starts with blank space");
  CHECK(load_error(std::string(kSoa) + "a 60 TXT \"open\n") ==
        "<text>:2: quoted string without a closing quote");
  CHECK(load_error(std::string(kSoa) + "a 60 TXT ( \"x\"\n\nb 60 A 192.0.2.1\n") ==
        "<text>:2: '(' is never closed");
  CHECK(load_error(std::string(kSoa) + "a 60 A 192.0.2.1 )\n") ==
        "<text>:2: ')' without an opening '('");
  CHECK(load_error(std::string(kSoa) + "a 60 A 192.0.2.1\\\n") ==
        "<text>:2: backslash at the end of a line");
  CHECK(load_error("$GENERATE 1-10 host$ A 192.0.2.$\n") ==
        "<text>:1: unsupported directive $GENERATE");
  CHECK(load_error("$TTL 1 2\n") == "<text>:1: $TTL takes one TTL");
  CHECK(load_error("$TTL forever\n") ==
        "<text>:1: $TTL: 'forever' is not a TTL from 0 to 2147483647 seconds");
  CHECK(load_error("$ORIGIN\n") == "<text>:1: $ORIGIN takes one domain name");
  CHECK(load_error("$INCLUDE\n") == "<text>:1: $INCLUDE takes a file name and an optional origin");
  auto named = read_master_text("a 60 A x\n", example(), "zone.txt");
  CHECK(named.error() == "zone.txt:1: A address: 'x' is not an IPv4 address");
}

TEST_CASE("$INCLUDE reads files relative to the including file, with their own origin") {
  TempDir dir;
  dir.write("main.zone",
            "$ORIGIN example.com.\n"
            "$TTL 60\n"
            "@ SOA ns1 hostmaster 1 2 3 4 5\n"
            "$INCLUDE parts/hosts.inc\n"
            "$INCLUDE parts/sub.inc sub\n"
            "after A 192.0.2.9\n");  // the included $ORIGIN did not leak back
  dir.write("parts/hosts.inc",
            "www A 192.0.2.1\n"
            "$ORIGIN other.example.com.\n"
            "x A 192.0.2.2\n"
            "$INCLUDE leaf/leaf.inc\n");  // relative to parts/
  dir.write("parts/leaf/leaf.inc", "leaf A 192.0.2.3\n");
  dir.write("parts/sub.inc", "@ A 192.0.2.4\nwww A 192.0.2.5\n");
  auto zone = read_master_file(dir.path() / "main.zone", std::nullopt, includes_below(dir));
  if (!zone) FAIL(zone.error());
  CHECK(zone->origin == example());
  CHECK(shown(*zone) ==
        Lines{"example.com. 60 SOA ns1.example.com. hostmaster.example.com. 1 2 3 4 5",
              "www.example.com. 60 A 192.0.2.1", "x.other.example.com. 60 A 192.0.2.2",
              "leaf.other.example.com. 60 A 192.0.2.3", "sub.example.com. 60 A 192.0.2.4",
              "www.sub.example.com. 60 A 192.0.2.5", "after.example.com. 60 A 192.0.2.9"});
}

TEST_CASE("errors inside an included file name that file and its line") {
  TempDir dir;
  fs::path main =
      dir.write("main.zone", "$TTL 60\n@ SOA ns1 hostmaster 1 2 3 4 5\n$INCLUDE bad.inc\n");
  fs::path bad = dir.write("bad.inc", "ok A 192.0.2.1\n\nbad A 300.0.0.1\n");
  CHECK(read_master_file(main, example(), includes_below(dir)).error() ==
        bad.string() + ":3: A address: '300.0.0.1' is not an IPv4 address");
  fs::path missing = dir.write("missing.zone", "$INCLUDE nowhere.inc\n");
  CHECK(read_master_file(missing, example(), includes_below(dir)).error() ==
        missing.string() + ":1: $INCLUDE cannot read " + (dir.path() / "nowhere.inc").string() +
            ": No such file or directory");
}

TEST_CASE("$INCLUDE loops and deep nesting are refused") {
  TempDir dir;
  fs::path self = dir.write("self.zone", "$TTL 60\n$INCLUDE self.zone\n");
  CHECK(read_master_file(self, example(), includes_below(dir)).error() ==
        self.string() + ":2: $INCLUDE loop: " + self.string() + " is already open");
  fs::path a = dir.write("a.inc", "$INCLUDE b.inc\n");
  fs::path b = dir.write("b.inc", "\n$INCLUDE a.inc\n");
  CHECK(read_master_file(a, example(), includes_below(dir)).error() ==
        b.string() + ":2: $INCLUDE loop: " + a.string() + " is already open");
  // depth0.inc includes depth1.inc ... depth17.inc: 17 levels of nesting.
  for (int i = 0; i < 17; ++i)
    dir.write("depth" + std::to_string(i) + ".inc",
              "$INCLUDE depth" + std::to_string(i + 1) + ".inc\n");
  dir.write("depth17.inc", "a 60 A 192.0.2.1\n");
  CHECK(read_master_file(dir.path() / "depth0.inc", example(), includes_below(dir)).error() ==
        (dir.path() / "depth16.inc").string() + ":1: $INCLUDE nested more than 16 deep");
  CHECK(read_master_file(dir.path() / "depth1.inc", example(), includes_below(dir))
            .ok());  // 16 levels
}

TEST_CASE("read_master_file: the origin is given, else the first $ORIGIN, else the file name") {
  TempDir dir;
  fs::path with_origin = dir.write("anything.zone",
                                   "$ORIGIN example.org.\n"
                                   "@ 60 SOA ns1 hostmaster 1 2 3 4 5\n");
  CHECK(read_master_file(with_origin)->origin == name("example.org."));
  CHECK(read_master_file(with_origin, name("example.com."))->origin == name("example.com."));
  fs::path by_name = dir.write("example.net.zone", "@ 60 SOA ns1 hostmaster 1 2 3 4 5\n");
  auto zone = read_master_file(by_name);
  REQUIRE(zone);
  CHECK(zone->origin == name("example.net."));
  CHECK(show(zone->records[0]) ==
        "example.net. 60 SOA ns1.example.net. hostmaster.example.net. 1 2 3 4 5");
  fs::path plain = dir.write("example.info", "@ 60 NS ns1\n");
  CHECK(read_master_file(plain)->origin == name("example.info."));
  CHECK(read_master_file(dir.path() / "absent.zone").error() ==
        (dir.path() / "absent.zone").string() + ": cannot read: No such file or directory");
}

TEST_CASE("the writer puts $ORIGIN, the SOA, then canonical order, one absolute line each") {
  auto zone = load(
      "$TTL 300\n"
      "z A 192.0.2.3\n"
      "@ NS ns2\n"
      "@ NS ns1\n"
      "B.a MX 10 mail\n"
      "a A 192.0.2.1\n"
      "@ SOA ns1 hostmaster 1 7200 900 1209600 300\n"
      "*.a TXT \"wild; card\"\n"
      "@ ALIAS lb.example.net.\n");
  CHECK(write_master_file(zone.origin, zone.records) ==
        "$ORIGIN example.com.\n"
        "example.com.\t300\tIN\tSOA\tns1.example.com. hostmaster.example.com. 1 7200 900 "
        "1209600 300\n"
        "example.com.\t300\tIN\tNS\tns1.example.com.\n"
        "example.com.\t300\tIN\tNS\tns2.example.com.\n"
        "example.com.\t300\tIN\tALIAS\tlb.example.net.\n"
        "a.example.com.\t300\tIN\tA\t192.0.2.1\n"
        "*.a.example.com.\t300\tIN\tTXT\t\"wild; card\"\n"
        "B.a.example.com.\t300\tIN\tMX\t10 mail.example.com.\n"
        "z.example.com.\t300\tIN\tA\t192.0.2.3\n");
}

TEST_CASE("writer output reads back to the same records") {
  auto zone = load(
      "$TTL 300\n"
      "@ SOA ns1 hostmaster 2024010101 7200 900 1209600 300\n"
      "@ NS ns1\n"
      "@ ALIAS lb.example.net.\n"
      "@ MX 10 mail\n"
      "@ TXT \"v=spf1 -all\" \"second \\\"string\\\"\" \"\\000\\255\"\n"
      "@ CAA 0 issue \"letsencrypt.org\"\n"
      "@ HTTPS 1 . alpn=h3,h2 ipv4hint=192.0.2.1 ech=AEj+\n"
      "ns1 A 192.0.2.1\n"
      "ns1 AAAA 2001:db8::1\n"
      "_sip._udp SRV 10 60 5060 sip\n"
      "sip NAPTR 100 10 \"S\" \"SIP+D2U\" \"!^.*$!sip:info@example.com!\" _sip._udp\n"
      "_443._tcp TLSA 3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6\n"
      "sub DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118\n"
      "sub NS ns.sub\n"
      "ns.sub A 192.0.2.53\n"
      "host SSHFP 1 1 0123456789abcdef0123456789abcdef01234567\n"
      "host HINFO \"PC\" \"Linux\"\n"
      "www CNAME @\n"
      "old DNAME example.net.\n"
      "1.2 PTR host\n"
      "svc SVCB 0 svc.example.net.\n"
      "weird\\.name\\;x TYPE65280 \\# 2 ABCD\n");
  std::string text = write_master_file(zone.origin, zone.records);
  auto again = read_master_text(text, zone.origin, "written");
  if (!again) FAIL((again.error() + "\n" + text));
  auto canonical = [](std::vector<Record> records) {
    std::sort(records.begin(), records.end(),
              [](const Record& a, const Record& b) { return show(a) < show(b); });
    return records;
  };
  CHECK(canonical(again->records) == canonical(zone.records));
  CHECK(write_master_file(again->origin, again->records) == text);
}

TEST_CASE("long RDATA is written over short lines in parentheses and reads back") {
  // Escaped as \DDD, 60,180 octets of TXT would be one line of 240,000 characters, over the
  // reader's default limit of 64 KiB; hex and base64 this long are cut into words.
  std::vector<std::uint8_t> txt;
  for (int i = 0; i < 236; ++i) {
    txt.push_back(254);
    txt.insert(txt.end(), 254, 0xFF);
  }
  std::vector<std::uint8_t> key{0x01, 0x01, 3, 13};
  key.insert(key.end(), 50'000, 0xA5);
  const std::vector<Record> records{
      {name("long.example.com."), RRType::TXT, RRClass::IN, 60, txt},
      {name("long.example.com."), RRType::DNSKEY, RRClass::IN, 60, key},
      {name("long.example.com."), static_cast<RRType>(65280), RRClass::IN, 60,
       std::vector<std::uint8_t>(40'000, 0x5A)},
      {name("short.example.com."), RRType::TXT, RRClass::IN, 60, {3, 'a', 'b', 'c'}}};
  const std::string text = write_master_file(example(), records);
  std::size_t longest = 0;
  for (std::size_t at = 0, end; at < text.size(); at = end + 1) {
    end = text.find('\n', at);
    longest = std::max(longest, end - at);
  }
  CHECK(longest < 1100);
  CHECK(text.find("short.example.com.\t60\tIN\tTXT\t\"abc\"\n") != std::string::npos);
  auto again = read_master_text(text, example(), "written");
  REQUIRE_MESSAGE(again.ok(), (again.ok() ? "" : again.error()));
  REQUIRE(again->records.size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i) CHECK(again->records[i] == records[i]);
}

TEST_CASE("an ALIAS written in RFC 3597 form by another tool reads back as ALIAS") {
  auto zone = load(std::string(kSoa) + "@ 300 TYPE65401 \\# 16 026C62076578616D706C65036E657400\n");
  CHECK(show(zone.records[1]) == "example.com. 300 ALIAS lb.example.net.");
}

namespace {

std::vector<std::uint8_t> v4(std::uint8_t last) {
  return {192, 0, 2, last};
}
std::vector<std::uint8_t> v6(std::uint8_t last) {
  std::vector<std::uint8_t> a(16, 0);
  a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[15] = last;
  return a;
}

const char* kAliasZone =
    "$TTL 300\n"
    "@ SOA ns1 hostmaster 1 7200 900 1209600 300\n"
    "@ NS ns1\n"
    "@ ALIAS LB.example.net.\n"
    "@ MX 10 mail\n"
    "shop 60 ALIAS lb.example.net.\n"
    "new ALIAS fresh.example.net.\n"
    "down ALIAS broken.example.net.\n"
    "v4only ALIAS only4.example.net.\n";

AliasTablePtr export_table() {
  std::vector<std::vector<std::uint8_t>> a{v4(20), v4(10)}, aaaa{v6(1)}, one{v4(4)};
  std::vector<AliasTargetEntry> targets;
  targets.push_back({name("lb.example.net."),
                     {AliasFamilyResult::with_addresses(RRType::A, 120, a),
                      AliasFamilyResult::with_addresses(RRType::AAAA, 30, aaaa)}});
  targets.push_back(
      {name("broken.example.net."), {AliasFamilyResult::failed(), AliasFamilyResult::failed()}});
  targets.push_back(
      {name("only4.example.net."),
       {AliasFamilyResult::with_addresses(RRType::A, 600, one), AliasFamilyResult::no_data()}});
  auto table = AliasTable::build(std::move(targets));
  REQUIRE(table.ok());
  return *table;
}

}  // namespace

TEST_CASE("a flattened export writes each ALIAS as its current A/AAAA, TTL capped by the ALIAS") {
  auto zone = load(kAliasZone);
  auto table = export_table();
  std::string text = write_master_file(zone.origin, zone.records, {.flatten_from = table.get()});
  CHECK(text ==
        "$ORIGIN example.com.\n"
        "; down.example.com. ALIAS broken.example.net.: no A records written (failed)\n"
        "; down.example.com. ALIAS broken.example.net.: no AAAA records written (failed)\n"
        "; new.example.com. ALIAS fresh.example.net.: no A records written (pending)\n"
        "; new.example.com. ALIAS fresh.example.net.: no AAAA records written (pending)\n"
        "example.com.\t300\tIN\tSOA\tns1.example.com. hostmaster.example.com. 1 7200 900 "
        "1209600 300\n"
        "example.com.\t120\tIN\tA\t192.0.2.10\n"
        "example.com.\t120\tIN\tA\t192.0.2.20\n"
        "example.com.\t300\tIN\tNS\tns1.example.com.\n"
        "example.com.\t300\tIN\tMX\t10 mail.example.com.\n"
        "example.com.\t30\tIN\tAAAA\t2001:db8::1\n"
        "shop.example.com.\t60\tIN\tA\t192.0.2.10\n"
        "shop.example.com.\t60\tIN\tA\t192.0.2.20\n"
        "shop.example.com.\t30\tIN\tAAAA\t2001:db8::1\n"
        "v4only.example.com.\t300\tIN\tA\t192.0.2.4\n");
  // What another server loads: no ALIAS left, and it reads back.
  CHECK(text.find("ALIAS\t") == std::string::npos);
  CHECK(read_master_text(text, zone.origin, "flattened").ok());
}

TEST_CASE("a flattened export uses an alias's own result over its target's") {
  auto zone = load(kAliasZone);
  std::vector<std::vector<std::uint8_t>> fallback{v4(99)};
  std::vector<AliasOwnerEntry> owners;
  owners.push_back(
      {name("down.example.com."),
       name("broken.example.net."),
       {AliasFamilyResult::with_addresses(RRType::A, 60, fallback), AliasFamilyResult::no_data()}});
  auto table = AliasTable::build({}, std::move(owners));
  REQUIRE(table.ok());
  std::string text = write_master_file(zone.origin, zone.records, {.flatten_from = table->get()});
  CHECK(text.find("down.example.com.\t60\tIN\tA\t192.0.2.99\n") != std::string::npos);
  CHECK(text.find("down.example.com. ALIAS") == std::string::npos);
}

TEST_CASE("without flattening, ALIAS records round-trip through the writer") {
  auto zone = load(kAliasZone);
  std::string text = write_master_file(zone.origin, zone.records);
  CHECK(text.find("shop.example.com.\t60\tIN\tALIAS\tlb.example.net.\n") != std::string::npos);
  CHECK(text.find("example.com.\t300\tIN\tALIAS\tLB.example.net.\n") != std::string::npos);
  auto again = read_master_text(text, zone.origin, "written");
  REQUIRE(again.ok());
  CHECK(write_master_file(again->origin, again->records) == text);
}

TEST_SUITE("master files from strangers") {
  TEST_CASE("$INCLUDE is refused unless an include directory is given, without opening the file") {
    TempDir dir;
    dir.write("secret.txt", "hunter2\n");
    fs::path main = dir.write("main.zone", "$TTL 60\n\n$INCLUDE secret.txt\n");
    CHECK(read_master_file(main, example()).error() ==
          main.string() + ":3: $INCLUDE " + (dir.path() / "secret.txt").string() +
              " refused: including files is not allowed");
    MasterFileOptions hinted;
    hinted.include_hint = "--allow-include DIR allows it";
    CHECK(
        read_master_file(main, example(), hinted)
            .error()
            .ends_with(" refused: including files is not allowed (--allow-include DIR allows it)"));
    CHECK(read_master_text("$INCLUDE /etc/passwd\n", example()).error() ==
          "<text>:1: $INCLUDE /etc/passwd refused: including files is not allowed");
  }

  TEST_CASE("$INCLUDE reads only files whose canonical path is below the include directory") {
    TempDir dir;
    dir.write("outside.inc", "secret A 192.0.2.66\n");
    dir.write("root/inside.inc", "www A 192.0.2.1\n");
    dir.write("root/sub/deeper.inc", "$INCLUDE ../inside.inc\n");  // ".." that stays inside
    fs::path root = dir.path() / "root";
    fs::create_symlink(root / "inside.inc", root / "link-inside.inc");
    fs::create_symlink(dir.path() / "outside.inc", root / "link-outside.inc");
    fs::create_symlink(dir.path(), root / "up");
    const MasterFileOptions options = includes_below(root);
    auto import = [&](std::string_view include) {
      fs::path main = dir.write("root/main.zone", "$TTL 60\n" + std::string(include) + "\n");
      return read_master_file(main, example(), options);
    };
    for (auto include : {"$INCLUDE inside.inc", "$INCLUDE link-inside.inc",
                         "$INCLUDE sub/deeper.inc", "$INCLUDE sub/../inside.inc"}) {
      CAPTURE(include);
      auto zone = import(include);
      if (!zone) FAIL(zone.error());
      CHECK(shown(*zone) == Lines{"www.example.com. 60 A 192.0.2.1"});
    }
    const std::string main = (root / "main.zone").string() + ":2: $INCLUDE ";
    const std::string outside = (dir.path() / "outside.inc").string();
    const std::string refused = " refused: not below the include directory " + root.string();
    CHECK(import("$INCLUDE ../outside.inc").error() == main + (root / "../outside.inc").string() +
                                                           refused + " (it resolves to " + outside +
                                                           ")");
    CHECK(import("$INCLUDE link-outside.inc").error() ==
          main + (root / "link-outside.inc").string() + refused + " (it resolves to " + outside +
              ")");
    CHECK(import("$INCLUDE up/outside.inc").error() == main + (root / "up/outside.inc").string() +
                                                           refused + " (it resolves to " + outside +
                                                           ")");
    CHECK(import("$INCLUDE " + outside).error() == main + outside + refused);
    CHECK(import("$INCLUDE /etc/passwd").error() == main + "/etc/passwd" + refused);
    // A refusal names the path, never what the file holds.
    CHECK(import("$INCLUDE ../outside.inc").error().find("192.0.2.66") == std::string::npos);
  }

  TEST_CASE("devices and FIFOs are refused before any read") {
    CHECK(read_master_file("/dev/zero", example()).error() ==
          "/dev/zero: cannot read: not a regular file (a device, FIFO or socket is never read)");
    TempDir dir;
    fs::path fifo = dir.path() / "fifo.zone";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);  // opening it must not wait for a writer
    CHECK(read_master_file(fifo, example()).error() ==
          fifo.string() +
              ": cannot read: not a regular file (a device, FIFO or socket is never read)");
    fs::path main = dir.write("main.zone", "$INCLUDE /dev/urandom\n");
    CHECK(read_master_file(main, example(), includes_below("/")).error() ==
          main.string() +
              ":1: $INCLUDE cannot read /dev/urandom: not a regular file (a device, FIFO or "
              "socket is never read)");
  }

  TEST_CASE("a zone's files together are limited in size") {
    TempDir dir;
    const std::string record = "www 60 A 192.0.2.1\n";  // 19 octets
    fs::path small = dir.write("small.zone", record);
    MasterFileOptions options = includes_below(dir);
    options.limits.max_zone_octets = 19;
    CHECK(read_master_file(small, example(), options).ok());
    options.limits.max_zone_octets = 18;
    CHECK(read_master_file(small, example(), options).error() ==
          small.string() +
              ": cannot read: larger than 18 octets, the limit for a zone with its included files");
    dir.write("part.inc", record);
    fs::path main = dir.write("main.zone", "$INCLUDE part.inc\n");  // 18 octets
    options.limits.max_zone_octets = 36;
    CHECK(read_master_file(main, example(), options).error() ==
          main.string() + ":1: $INCLUDE cannot read " + (dir.path() / "part.inc").string() +
              ": larger than 18 octets, the limit for a zone with its included files");
    options.limits.max_zone_octets = 37;
    CHECK(read_master_file(main, example(), options).ok());
  }

  TEST_CASE("a line longer than the limit is refused with its number") {
    MasterFileOptions options;
    options.limits.max_line_octets = 20;
    const std::string twenty = "www 60 A 192.0.2.100";  // 20 octets
    CHECK(read_master_text(twenty + "\n" + twenty, example(), "<text>", options).ok());
    CHECK(read_master_text(twenty + "\n" + twenty + " \n", example(), "<text>", options).error() ==
          "<text>:2: line longer than 20 octets");
    // The limit is per line, not per entry: parentheses may join many short lines.
    CHECK(read_master_text("www 60 TXT ( \"a\"\n \"b\" \"c\"\n \"d\" )\n", example(), "<text>",
                           options)
              .ok());
  }

  TEST_CASE("a file of one endless line is refused at the line limit") {
    TempDir dir;
    fs::path zeros = dir.write("zeros.zone", std::string(10 << 20, '\0'));
    auto zone = read_master_file(zeros, example());
    CHECK(zone.error() == zeros.string() + ":1: line longer than 65536 octets");
    fs::path long_txt =
        dir.write("long.zone", "$TTL 60\nwww TXT \"" + std::string(10 << 20, 'x') + "\"\n");
    CHECK(read_master_file(long_txt, example()).error() ==
          long_txt.string() + ":2: line longer than 65536 octets");
  }

  TEST_CASE("records per zone and per RRset are limited") {
    MasterFileOptions options;
    options.limits.max_records = 3;
    options.limits.max_rrset_records = 2;
    const std::string head = "$TTL 60\n";
    CHECK(read_master_text(head + "a A 192.0.2.1\nb A 192.0.2.1\nc A 192.0.2.1\n", example(),
                           "<text>", options)
              .ok());
    CHECK(read_master_text(head + "a A 192.0.2.1\nb A 192.0.2.1\nc A 192.0.2.1\nd A 192.0.2.1\n",
                           example(), "<text>", options)
              .error() == "<text>:5: more than 3 records in the zone");
    // Owners compare case-insensitively (RFC 4343); other types are other RRsets.
    CHECK(read_master_text(head + "a A 192.0.2.1\na AAAA 2001:db8::1\nA A 192.0.2.2\n", example(),
                           "<text>", options)
              .ok());
    CHECK(read_master_text(head + "a A 192.0.2.1\nA A 192.0.2.2\na A 192.0.2.3\n", example(),
                           "<text>", options)
              .error() == "<text>:4: more than 2 records in the RRset a.example.com. A");
    options.limits = {.max_zone_octets = 0,
                      .max_line_octets = 0,
                      .max_records = 0,
                      .max_rrset_records = 0};  // 0: no limit
    CHECK(read_master_text(head + "a A 192.0.2.1\nA A 192.0.2.2\na A 192.0.2.3\n" +
                               std::string(100'000, 'x') + " A 192.0.2.4\n",
                           example(), "<text>", options)
              .error()
              .ends_with(":5: owner: invalid name '" + std::string(40, 'x') +
                         "...': label longer than 63 octets"));
  }

  TEST_CASE("errors quote at most a short excerpt of the input, escaped") {
    const std::string big(10'000'000, 'T');
    auto error = read_master_text("$TTL 60\nwww " + big + " x\n", example()).error();
    CHECK(error == "<text>:2: line longer than 65536 octets");
    const std::string long_type(60'000, 'T');
    CHECK(read_master_text("$TTL 60\nwww " + long_type + " x\n", example()).error() ==
          "<text>:2: unknown record type '" + std::string(40, 'T') + "...'");
    CHECK(read_master_text(std::string("$TTL 60\nwww hunt\0r2\x01 x\n", 24), example()).error() ==
          "<text>:2: unknown record type 'hunt\\000r2\\001'");
    CHECK(load_error("$TTL " + std::string(50, '9') + "x\n") ==
          "<text>:1: $TTL: '" + std::string(40, '9') +
              "...' is not a TTL from 0 to 2147483647 seconds");
    CHECK(load_error("$TTL 60\nwww A " + std::string(45, '1') + "\n") ==
          "<text>:2: A address: '" + std::string(40, '1') + "...' is not an IPv4 address");
    CHECK(load_error("$GENERATE" + std::string(100, 'X') + "\n") ==
          "<text>:1: unsupported directive $GENERATE" + std::string(31, 'X') + "...");
  }

  TEST_CASE("a UTF-8 byte order mark at the start of a file is skipped") {
    auto zone = load("\xEF\xBB\xBF$TTL 60\nwww A 192.0.2.1\n");
    CHECK(shown(zone) == Lines{"www.example.com. 60 A 192.0.2.1"});
    TempDir dir;
    dir.write("part.inc", "\xEF\xBB\xBFmail A 192.0.2.2\n");
    fs::path main = dir.write("main.zone", "\xEF\xBB\xBFwww 60 A 192.0.2.1\n$INCLUDE part.inc\n");
    auto file = read_master_file(main, example(), includes_below(dir));
    if (!file) FAIL(file.error());
    CHECK(shown(*file) ==
          Lines{"www.example.com. 60 A 192.0.2.1", "mail.example.com. 60 A 192.0.2.2"});
    // Anywhere else it is text like any other.
    CHECK(load_error("$TTL 60\nwww A \xEF\xBB\xBF"
                     "192.0.2.1\n") ==
          "<text>:2: A address: '\\239\\187\\191192.0.2.1' is not an IPv4 address");
  }
}

TEST_CASE("a file longer than one read gives the records of its text, in order") {
  // Entries of every shape, repeated well past the 64 KiB read: some are cut by the end of
  // a read, inside a field, a quote, a comment or parentheses.
  std::string text = "$TTL 60\n" + std::string(kSoa);
  for (int i = 0; i < 3000; ++i) {
    const std::string n = std::to_string(i);
    text += "h" + n + " A 192.0.2." + std::to_string(i % 250) + " ; comment " + n + "\n";
    text += "t" + n + " TXT ( \"part one " + n + "\"\n    \"part two\" )\n";
  }
  TempDir dir;
  const fs::path path = dir.write("big.zone", text);
  REQUIRE(text.size() > 3 * (64u << 10));
  auto file = read_master_file(path, example());
  if (!file) FAIL(file.error());
  CHECK(file->records == load(text).records);
  std::size_t sent = 0;
  auto origin = read_master_records(path, example(), {}, [&](Record r) {
    CHECK(r == file->records[sent++]);
    return Status(Ok{});
  });
  REQUIRE(origin.ok());
  CHECK(*origin == example());
  CHECK(sent == 6001);
}
