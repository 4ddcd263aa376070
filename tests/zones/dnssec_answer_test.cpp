// Specification of answers from a signed zone (RFC 4035 §3.1): with DO=1 every RRset in the
// answer and authority sections comes with its RRSIGs, and negative answers, wildcard
// expansions and referrals with the NSEC records that prove them; with DO=0 none of that.
// The zone is signed in the test with sign_zone, as a snapshot is signed when published.
#include "zones/dnssec_answer.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/zones/answer_fixture.hpp"
#include "zones/base_encoding.hpp"
#include "zones/flattened_alias.hpp"
#include "zones/master_file.hpp"
#include "zones/nsec3_hash.hpp"
#include "zones/responder.hpp"
#include "zones/zone_signer.hpp"

using namespace apex;
using namespace apex::test;

namespace {

constexpr const char* kZone = R"(
@        3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@        3600 IN NS  ns1
@        3600 IN MX  10 mail
ns1      3600 IN A   192.0.2.1
mail     3600 IN A   192.0.2.2
www      300  IN A   192.0.2.80
alias    300  IN CNAME www
dangling 300  IN CNAME nowhere
a.ent    60   IN TXT "below an empty non-terminal"
*.wild   60   IN A   192.0.2.99
child    3600 IN NS  ns.child
child    3600 IN DS  12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns.child 3600 IN A   192.0.2.53
bare     3600 IN NS  ns.bare
ns.bare  3600 IN A   192.0.2.54
)";

// The NSEC chain of kZone in canonical order (RFC 4034 §6.1): example.org. alias bare child
// dangling a.ent mail ns1 *.wild www, back to the apex.

constexpr SignatureValidity kValidity{1'700'000'000, 1'700'000'000 + 14 * 86400};

ZonePtr signed_zone(const std::string& text, DenialOfExistence denial = DenialOfExistence::kNsec) {
  const Name apex = *Name::from_text("example.org.");
  auto file = read_master_text(text, apex, "test.zone");
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.error()));
  static const auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key.ok());
  ZoneSigningOptions options;
  options.validity = kValidity;
  options.denial = denial;
  auto records = sign_zone(apex, std::move(file->records), *key, options);
  REQUIRE_MESSAGE(records.ok(), (records.ok() ? "" : records.error()));
  auto zone = build_zone(apex, std::move(*records));
  REQUIRE_MESSAGE(zone.ok(), (zone.ok() ? "" : zone.error()));
  return *zone;
}

const ZoneIndex& index() {
  static const ZoneIndexPtr built = ZoneIndex::from_zones({signed_zone(kZone)});
  return *built;
}

// "owner TYPE", with the covered type and label count for RRSIG (the signature octets
// differ from key to key) and the RDATA for NSEC.
std::vector<std::string> summary(const std::vector<RRsetRef>& section) {
  std::vector<std::string> lines;
  for (const auto& line : render(section)) {
    std::vector<std::string> fields;
    std::size_t from = 0;
    while (from < line.size()) {
      std::size_t to = line.find(' ', from);
      if (to == std::string::npos) to = line.size();
      fields.push_back(line.substr(from, to - from));
      from = to + 1;
    }
    std::string text = fields[0] + " " + fields[2];
    if (fields[2] == "RRSIG") text += " " + fields[3] + " " + fields[5];
    if (fields[2] == "NSEC")
      for (std::size_t i = 3; i < fields.size(); ++i) text += " " + fields[i];
    if (fields[2] != "RRSIG" && fields[2] != "NSEC") text = line;
    lines.push_back(text);
  }
  return lines;
}

struct Sections {
  Rcode rcode;
  bool aa;
  Lines answer, authority, additional;
};

Sections ask_dnssec(const std::string& name, RRType type, bool dnssec_ok = true) {
  static const AliasTable kNoAliases;
  Query query = make_query(name, type);
  query.edns.present = true;
  query.edns.dnssec_ok = dnssec_ok;
  Answer out;
  answer_query(index(), kNoAliases, query, Transport::kTcp, out);
  return {out.rcode, out.authoritative, summary(out.answer), summary(out.authority),
          summary(out.additional)};
}

}  // namespace

TEST_CASE("DO=1: a positive answer carries the RRset's RRSIG (RFC 4035 §3.1.1)") {
  const auto r = ask_dnssec("www.example.org.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.aa);
  CHECK(r.answer == Lines{"www.example.org. 300 A 192.0.2.80", "www.example.org. RRSIG A 3"});
  CHECK(r.authority.empty());
}

TEST_CASE("DO=0: the same zone answers without RRSIG or NSEC (RFC 3225 §3)") {
  CHECK(ask_dnssec("www.example.org.", RRType::A, false).answer ==
        Lines{"www.example.org. 300 A 192.0.2.80"});
  CHECK(ask_dnssec("nope.example.org.", RRType::A, false).authority ==
        Lines{"example.org. 300 SOA ns1.example.org. hostmaster.example.org. 1 7200 3600 "
              "1209600 300"});
  CHECK(ask_dnssec("bare.example.org.", RRType::A, false).authority ==
        Lines{"bare.example.org. 3600 NS ns.bare.example.org."});
}

TEST_CASE("DO=0: RRSIG and NSEC asked for by type are answered as the data they are") {
  CHECK(ask_dnssec("www.example.org.", RRType::NSEC, false).answer ==
        Lines{"www.example.org. NSEC example.org. A RRSIG NSEC"});
  // Every signature at the node, one RRSIG RRset per covered type.
  CHECK(ask_dnssec("www.example.org.", RRType::RRSIG, false).answer ==
        Lines{"www.example.org. RRSIG A 3", "www.example.org. RRSIG NSEC 3"});
}

TEST_CASE("DO=1: NXDOMAIN proves the name and the wildcard absent (RFC 4035 §3.1.3.2)") {
  const auto r = ask_dnssec("nope.example.org.", RRType::A);
  CHECK(r.rcode == Rcode::NXDomain);
  CHECK(r.answer.empty());
  CHECK(r.authority ==
        Lines{"example.org. 300 SOA ns1.example.org. hostmaster.example.org. 1 7200 3600 "
              "1209600 300",
              "example.org. RRSIG SOA 2",
              "mail.example.org. NSEC ns1.example.org. A RRSIG NSEC",  // covers nope
              "mail.example.org. RRSIG NSEC 3",
              "example.org. NSEC alias.example.org. NS SOA MX RRSIG NSEC DNSKEY",  // covers *
              "example.org. RRSIG NSEC 2"});
}

TEST_CASE("DO=1: NODATA shows the NSEC at the name, without the type (RFC 4035 §3.1.3.1)") {
  const auto r = ask_dnssec("www.example.org.", RRType::TXT);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer.empty());
  CHECK(r.authority ==
        Lines{"example.org. 300 SOA ns1.example.org. hostmaster.example.org. 1 7200 3600 "
              "1209600 300",
              "example.org. RRSIG SOA 2", "www.example.org. NSEC example.org. A RRSIG NSEC",
              "www.example.org. RRSIG NSEC 3"});
}

TEST_CASE("DO=1: an empty non-terminal's NODATA is the NSEC that covers it") {
  const auto r = ask_dnssec("ent.example.org.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.authority.size() == 4);
  CHECK(r.authority[2] == "dangling.example.org. NSEC a.ent.example.org. CNAME RRSIG NSEC");
  CHECK(r.authority[3] == "dangling.example.org. RRSIG NSEC 3");
}

TEST_CASE(
    "DO=1: a wildcard expansion keeps the wildcard's labels and proves the name absent "
    "(RFC 4035 §3.1.3.3)") {
  const auto r = ask_dnssec("x.wild.example.org.", RRType::A);
  CHECK(r.rcode == Rcode::NoError);
  // Labels 3: the RRSIG is the wildcard's, which a validator expands (RFC 4035 §5.3.4).
  CHECK(r.answer == Lines{"x.wild.example.org. 60 A 192.0.2.99", "x.wild.example.org. RRSIG A 3"});
  CHECK(r.authority == Lines{"*.wild.example.org. NSEC www.example.org. A RRSIG NSEC",
                             "*.wild.example.org. RRSIG NSEC 3"});
}

TEST_CASE("DO=1: wildcard NODATA proves the type absent at the wildcard (RFC 4035 §3.1.3.4)") {
  const auto r = ask_dnssec("x.wild.example.org.", RRType::TXT);
  CHECK(r.rcode == Rcode::NoError);
  CHECK(r.answer.empty());
  // The wildcard's NSEC both covers x.wild and lacks TXT: sent once.
  CHECK(r.authority ==
        Lines{"example.org. 300 SOA ns1.example.org. hostmaster.example.org. 1 7200 3600 "
              "1209600 300",
              "example.org. RRSIG SOA 2", "*.wild.example.org. NSEC www.example.org. A RRSIG NSEC",
              "*.wild.example.org. RRSIG NSEC 3"});
}

TEST_CASE("DO=1: each CNAME of a chain is signed, and a dangling one proves NXDOMAIN") {
  CHECK(ask_dnssec("alias.example.org.", RRType::A).answer ==
        Lines{"alias.example.org. 300 CNAME www.example.org.", "alias.example.org. RRSIG CNAME 3",
              "www.example.org. 300 A 192.0.2.80", "www.example.org. RRSIG A 3"});
  const auto r = ask_dnssec("dangling.example.org.", RRType::A);
  CHECK(r.rcode == Rcode::NXDomain);
  CHECK(r.answer == Lines{"dangling.example.org. 300 CNAME nowhere.example.org.",
                          "dangling.example.org. RRSIG CNAME 3"});
  CHECK(std::count(r.authority.begin(), r.authority.end(),
                   "mail.example.org. NSEC ns1.example.org. A RRSIG NSEC") == 1);
}

TEST_CASE("DO=1: a referral carries the signed DS, or the NSEC proving none (RFC 4035 §3.1.4)") {
  const auto with_ds = ask_dnssec("www.child.example.org.", RRType::A);
  CHECK_FALSE(with_ds.aa);
  CHECK(with_ds.authority ==
        Lines{"child.example.org. 3600 NS ns.child.example.org.",
              "child.example.org. 3600 DS 12345 13 2 "
              "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
              "child.example.org. RRSIG DS 3"});
  // Glue is not the zone's data: unsigned.
  CHECK(with_ds.additional == Lines{"ns.child.example.org. 3600 A 192.0.2.53"});
  CHECK(ask_dnssec("bare.example.org.", RRType::A).authority ==
        Lines{"bare.example.org. 3600 NS ns.bare.example.org.",
              "bare.example.org. NSEC child.example.org. NS RRSIG NSEC",
              "bare.example.org. RRSIG NSEC 3"});
}

TEST_CASE("DO=1: DS asked at a delegation is the parent's signed answer or NODATA") {
  CHECK(ask_dnssec("child.example.org.", RRType::DS).answer.back() ==
        "child.example.org. RRSIG DS 3");
  const auto none = ask_dnssec("bare.example.org.", RRType::DS);
  CHECK(none.aa);
  CHECK(none.answer.empty());
  CHECK(none.authority[2] == "bare.example.org. NSEC child.example.org. NS RRSIG NSEC");
}

TEST_CASE("DO=1: DNSKEY at the apex, and additional addresses with their signatures") {
  const auto dnskey = ask_dnssec("example.org.", RRType::DNSKEY);
  REQUIRE(dnskey.answer.size() == 2);
  CHECK(dnskey.answer[1] == "example.org. RRSIG DNSKEY 2");
  CHECK(ask_dnssec("example.org.", RRType::MX).additional ==
        Lines{"mail.example.org. 3600 A 192.0.2.2", "mail.example.org. RRSIG A 3"});
}

TEST_CASE("add_signatures puts each RRSIG after its RRset; optional ones are not required") {
  const ZonePtr held = signed_zone(kZone);
  const Zone& zone = *held;
  const Node& www = *zone.find(Name::from_text("www.example.org.")->lowercased().wire_view());
  const Node& ns = *zone.find(Name::from_text("ns.child.example.org.")->lowercased().wire_view());
  std::vector<RRsetRef> section{{www.owner, www.find(RRType::A), 300, true},
                                {ns.owner, ns.find(RRType::A), 3600, true}};
  add_signatures(section, true);
  REQUIRE(section.size() == 3);
  CHECK(section[1].rrset == www.find(RRType::A)->rrsig);
  CHECK_FALSE(section[1].required);
  CHECK(section[2].rrset == ns.find(RRType::A));
}

TEST_CASE("DO=1 on the wire: DO echoed, AD never set, TC when the signatures don't fit") {
  std::string text = kZone;
  for (int i = 0; i < 4; ++i) text += "big 300 IN TXT \"" + std::string(100, 'a' + i) + "\"\n";
  const ZoneIndexPtr signed_index = ZoneIndex::from_zones({signed_zone(text)});
  Responder responder;
  std::vector<std::uint8_t> out(kMaxMessageSize);
  auto query = [&](std::uint8_t do_flag) {
    std::vector<std::uint8_t> b{0x12, 0x34, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1};
    auto name = Name::from_text("big.example.org.");
    b.insert(b.end(), name->wire().begin(), name->wire().end());
    b.insert(b.end(), {0, 16, 0, 1, 0, 0, 41, 0x02, 0x00, 0, 0, do_flag, 0, 0, 0});
    const std::size_t n = responder.respond(*signed_index, AliasTable{}, b, Transport::kUdp, out);
    return std::vector<std::uint8_t>(out.begin(), out.begin() + static_cast<long>(n));
  };
  const auto plain = query(0x00);
  CHECK((plain[2] & 0x02) == 0);  // the TXT RRset alone fits in 512 octets
  CHECK(plain[7] == 4);
  const auto secure = query(0x80);
  CHECK((secure[2] & 0x02) != 0);  // with its RRSIG it doesn't: TC, not an unsigned answer
  CHECK((secure[3] & 0x20) == 0);  // AD stays clear though the query had it
  CHECK(secure[7] == 0);
  // The OPT is last: its TTL's flags octet carries DO back (RFC 3225 §3).
  CHECK(secure[secure.size() - 4] == 0x80);
}

// --- NSEC3 (RFC 5155 §7.2) -------------------------------------------------------------------

namespace {

const ZoneIndex& nsec3_index() {
  static const ZoneIndexPtr built =
      ZoneIndex::from_zones({signed_zone(kZone, DenialOfExistence::kNsec3)});
  return *built;
}

// The hashed owner label of a name, in upper case as the NSEC3 owners are written.
std::string hashed(const std::string& name) {
  auto hash = nsec3_hash(*Name::from_text(name), {}, 0);
  return base32hex_encode(hash);
}

// The NSEC3 owners (first label) that a section holds, and the hashes their records cover.
struct Nsec3Seen {
  std::vector<std::string> owners;
  std::vector<std::pair<std::string, std::string>> ranges;  // owner hash, next hash
};

Nsec3Seen nsec3s(const std::string& name, RRType type) {
  static const AliasTable kNoAliases;
  Query query = make_query(name, type);
  query.edns.present = true;
  query.edns.dnssec_ok = true;
  Answer out;
  answer_query(nsec3_index(), kNoAliases, query, Transport::kTcp, out);
  Nsec3Seen seen;
  for (std::string line : render(out.authority)) {
    for (auto& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // "owner TTL NSEC3 1 flags iterations salt next types..."
    std::vector<std::string> fields;
    std::size_t from = 0;
    while (from < line.size()) {
      std::size_t to = line.find(' ', from);
      if (to == std::string::npos) to = line.size();
      fields.push_back(line.substr(from, to - from));
      from = to + 1;
    }
    if (fields[2] != "nsec3") continue;
    const std::string owner = line.substr(0, line.find('.'));
    seen.owners.push_back(owner);
    seen.ranges.emplace_back(owner, fields[7]);
  }
  return seen;
}

bool matched(const Nsec3Seen& seen, const std::string& name) {
  return std::count(seen.owners.begin(), seen.owners.end(), hashed(name)) == 1;
}

// Some NSEC3 covers the name's hash: owner < hash < next, or the last link wrapping around.
bool covered(const Nsec3Seen& seen, const std::string& name) {
  const std::string h = hashed(name);
  return std::any_of(seen.ranges.begin(), seen.ranges.end(), [&](const auto& range) {
    const auto& [owner, next] = range;
    return owner < next ? owner < h && h < next : owner < h || h < next;
  });
}

}  // namespace

TEST_CASE("NSEC3 NXDOMAIN: closest encloser proof and the wildcard covered (RFC 5155 §7.2.2)") {
  const auto seen = nsec3s("a.nope.example.org.", RRType::A);
  CHECK(matched(seen, "example.org."));       // the closest encloser
  CHECK(covered(seen, "nope.example.org."));  // the next closer name
  CHECK(covered(seen, "*.example.org."));     // no wildcard at the encloser
  CHECK_FALSE(covered(seen, "www.example.org."));
}

TEST_CASE(
    "NSEC3 NODATA, empty non-terminal and wildcard answers (RFC 5155 §7.2.3, §7.2.5, "
    "§7.2.6)") {
  CHECK(nsec3s("www.example.org.", RRType::TXT).owners ==
        std::vector<std::string>{hashed("www.example.org.")});
  CHECK(nsec3s("ent.example.org.", RRType::A).owners ==
        std::vector<std::string>{hashed("ent.example.org.")});
  const auto expanded = nsec3s("x.wild.example.org.", RRType::A);
  CHECK(expanded.owners.size() == 1);
  CHECK(covered(expanded, "x.wild.example.org."));
  const auto wild_nodata = nsec3s("x.wild.example.org.", RRType::TXT);
  CHECK(matched(wild_nodata, "wild.example.org."));
  CHECK(covered(wild_nodata, "x.wild.example.org."));
  CHECK(matched(wild_nodata, "*.wild.example.org."));
}

TEST_CASE("NSEC3 referral without DS: the NSEC3 matching the delegation (RFC 5155 §7.2.7)") {
  CHECK(nsec3s("www.bare.example.org.", RRType::A).owners ==
        std::vector<std::string>{hashed("bare.example.org.")});
  CHECK(nsec3s("www.child.example.org.", RRType::A).owners.empty());  // DS instead
}

// A signed zone's ALIAS owners hold the A/AAAA they serve as signed zone data (the signer
// flattened them when the snapshot was built): shop serves an A only; down's target fails
// and gone's has no addresses, so neither holds data.
namespace {

constexpr const char* kAliasZone = R"(
@        3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@        3600 IN NS  ns1
ns1      3600 IN A   192.0.2.1
shop     300  IN ALIAS edge.cdn.example.
shop     60   IN A   198.51.100.7
down     300  IN ALIAS down.cdn.example.
gone     300  IN ALIAS gone.cdn.example.
)";

const ZoneIndex& alias_index() {
  static const ZoneIndexPtr built = [] {
    const Name apex = *Name::from_text("example.org.");
    auto file = read_master_text(kAliasZone, apex, "alias.zone");
    REQUIRE(file.ok());
    static const auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
    ZoneSigningOptions options;
    options.validity = kValidity;
    auto records = sign_zone(apex, std::move(file->records), *key, options);
    REQUIRE(records.ok());
    auto zone = build_zone(apex, std::move(*records), RecordOrigin::kSigner);
    REQUIRE_MESSAGE(zone.ok(), (zone.ok() ? "" : zone.error()));
    return ZoneIndex::from_zones({*zone});
  }();
  return *built;
}

const AliasTable& alias_results() {
  static const AliasTablePtr table = [] {
    const auto a = std::vector<std::vector<std::uint8_t>>{{198, 51, 100, 7}};
    auto built = AliasTable::build({
        {*Name::from_text("edge.cdn.example."),
         {AliasFamilyResult::with_addresses(RRType::A, 60, a), AliasFamilyResult::no_data()}},
        {*Name::from_text("down.cdn.example."),
         {AliasFamilyResult::failed(), AliasFamilyResult::failed()}},
        {*Name::from_text("gone.cdn.example."),
         {AliasFamilyResult::no_data(), AliasFamilyResult::no_data()}},
    });
    REQUIRE(built.ok());
    return *built;
  }();
  return *table;
}

Sections ask_alias(const std::string& name, RRType type, bool dnssec_ok = true) {
  Query query = make_query(name, type);
  query.edns.present = true;
  query.edns.dnssec_ok = dnssec_ok;
  Answer out;
  answer_query(alias_index(), alias_results(), query, Transport::kTcp, out);
  return {out.rcode, out.authoritative, summary(out.answer), summary(out.authority),
          summary(out.additional)};
}

}  // namespace

TEST_SUITE("signed ALIAS answers") {
  TEST_CASE("the flattened addresses are answered as signed zone data") {
    auto r = ask_alias("shop.example.org.", RRType::A);
    CHECK(r.rcode == Rcode::NoError);
    CHECK(r.answer == Lines{"shop.example.org. 60 A 198.51.100.7", "shop.example.org. RRSIG A 3"});
    CHECK(ask_alias("shop.example.org.", RRType::A, false).answer ==
          Lines{"shop.example.org. 60 A 198.51.100.7"});
  }

  TEST_CASE("what the snapshot holds at its ALIAS owners is what the table served then") {
    const Zone& zone = *alias_index().find_exact(Name::from_text("example.org.")->wire_view());
    const Record held{
        *Name::from_text("shop.example.org."), RRType::A, RRClass::IN, 60, {198, 51, 100, 7}};
    CHECK(held_flattened_records(zone) == std::vector<Record>{held});
    CHECK(flattened_records(zone, alias_results()) == std::vector<Record>{held});
  }

  TEST_CASE("a family not served is NODATA proved by the owner's NSEC, listing what is") {
    auto r = ask_alias("shop.example.org.", RRType::AAAA);
    CHECK(r.rcode == Rcode::NoError);
    CHECK(r.answer.empty());
    CHECK(std::count(r.authority.begin(), r.authority.end(),
                     "shop.example.org. NSEC example.org. A RRSIG NSEC") == 1);
  }

  TEST_CASE("nothing to serve: SERVFAIL for the addresses, never an unsigned answer") {
    for (RRType family : {RRType::A, RRType::AAAA}) {
      CHECK(ask_alias("down.example.org.", family).rcode == Rcode::ServFail);
      CHECK(ask_alias("down.example.org.", family, false).rcode == Rcode::ServFail);
    }
  }

  TEST_CASE("an owner with no data in this publication does not exist (NXDOMAIN, proved)") {
    for (const char* name : {"down.example.org.", "gone.example.org."}) {
      auto r = ask_alias(name, RRType::TXT);
      CHECK(r.rcode == Rcode::NXDomain);
      CHECK(std::count_if(r.authority.begin(), r.authority.end(), [](const std::string& line) {
              return line.find(" NSEC ") != std::string::npos;
            }) >= 1);
    }
    CHECK(ask_alias("gone.example.org.", RRType::A).rcode == Rcode::NXDomain);
    CHECK(ask_alias("gone.example.org.", RRType::AAAA).rcode == Rcode::NXDomain);
  }
}
