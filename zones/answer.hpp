// The answer engine: decides the response to a query from a zone index (RFC 1034 §4.3.2)
// and the ALIAS answer table (ARCHITECTURE.md §5), as sections of RRset references. Encoding to
// wire form is a separate step.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "zones/alias_table.hpp"
#include "zones/message.hpp"
#include "zones/zone.hpp"
#include "zones/zone_index.hpp"

namespace apex {

// Longest in-zone CNAME chain followed for one query; longer chains (and loops) end the
// answer with what has been collected so far.
inline constexpr std::size_t kMaxCnameChain = 12;

enum class Transport { kUdp, kTcp };

// An RRset as it goes into a section: its owner (wire form, pointing into zone data or the
// query) and its TTL (a negative answer's SOA carries the negative TTL, RFC 2308 §3; flattened
// ALIAS addresses carry min(ALIAS TTL, result TTL)). The RRset is zone data or an alias
// table result.
struct RRsetRef {
  std::string_view owner;
  const RRset* rrset;
  std::uint32_t ttl;
  bool required = false;  // glue that must fit, or the response is truncated (RFC 9471)
};

// What kind of response an answer is, the classes response rate limiting (server/) keeps
// apart: answers, referrals and NODATA; NXDOMAIN; errors (any other rcode).
enum class AnswerKind : std::uint8_t { kPositive, kReferral, kNoData, kNxDomain, kError };

struct Answer {
  Rcode rcode = Rcode::NoError;
  AnswerKind kind = AnswerKind::kError;
  // The name the response is accounted to: the name asked, or the wildcard owner for a
  // synthesized answer (RFC 4592), the delegation point for a referral, the zone apex for
  // NODATA and NXDOMAIN (so a flood of random names is one account). Points into the query or
  // zone data; empty for errors.
  std::string_view imputed_name;
  bool authoritative = false;
  bool stale_alias = false;       // flattened addresses served from last-known-good (counted)
  std::string_view nsid;          // the NSID option's payload for the OPT (RFC 5001), or none
  RRClass rrclass = RRClass::IN;  // of every record (CH for the server's own identity)
  std::vector<RRsetRef> answer;
  std::vector<RRsetRef> authority;
  std::vector<RRsetRef> additional;
  // Lower-cased CNAME targets being followed; RRsetRef owners never point here.
  std::array<std::array<std::uint8_t, 255>, 2> scratch{};

  void clear() {
    rcode = Rcode::NoError;
    kind = AnswerKind::kError;
    imputed_name = {};
    authoritative = false;
    stale_alias = false;
    nsid = {};
    rrclass = RRClass::IN;
    answer.clear();
    authority.clear();
    additional.clear();
  }
};

// Fills out for the question of a parsed query (out is cleared first; its vectors keep their
// capacity, so steady-state answering does not allocate). A and AAAA at an ALIAS owner come
// from aliases as if they were static records; out points into index and aliases, which
// must outlive its use.
void answer_query(const ZoneIndex& index, const AliasTable& aliases, const Query& query,
                  Transport transport, Answer& out);

}  // namespace apex
