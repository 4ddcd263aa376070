// What a DNSSEC-aware query (DO=1, RFC 3225) adds to an answer from a signed zone: the RRSIGs
// of the RRsets in it and the NSEC records (RFC 4035 §3.1) or NSEC3 records (RFC 5155 §7.2)
// that prove what does not exist. With NSEC3 each proof is the one RFC 5155 §7.2 names for
// the same case; names are hashed here, records are not made.
// Signatures and NSECs are zone data, made when the snapshot was signed: nothing is signed
// here.
#pragma once

#include <string_view>
#include <vector>

#include "zones/answer.hpp"
#include "zones/zone.hpp"

namespace apex {

// RFC 4035 §3.1.1: after each RRset of a section its RRSIG RRset, with the owner and TTL the
// RRset is served with. In the additional section the signatures are optional: they are
// left out when they don't fit.
void add_signatures(std::vector<RRsetRef>& section, bool optional);

// RFC 4035 §3.1.3.2: the NSEC covering the name (a lower-cased wire name): no exact match.
// For a wildcard answer (§3.1.3.3) this is the proof that the name asked doesn't exist;
// with NSEC3 the NSEC3 covering the next closer name (RFC 5155 §7.2.6).
void prove_no_name(const Zone& zone, std::string_view name, Answer& out);

// RFC 4035 §3.1.3.2: NXDOMAIN, the NSEC covering the name and the one covering the wildcard
// at its closest encloser (encloser: lower-cased wire name). With NSEC3 the closest encloser
// proof and the NSEC3 covering the wildcard (RFC 5155 §7.2.2).
void prove_nxdomain(const Zone& zone, std::string_view name, std::string_view encloser,
                    Answer& out);

// RFC 4035 §3.1.3.1: NODATA, the NSEC at the node, whose bitmap lacks the type. An empty
// non-terminal has no NSEC: the one covering its name proves it holds nothing. For wildcard
// NODATA (§3.1.3.4) node is the wildcard; prove_no_name adds the rest. With NSEC3 the NSEC3
// matching the name (§7.2.3), for a wildcard also the closest encloser proof (§7.2.5), and
// for DS at an opt-out delegation the closest encloser proof (§7.2.4).
void prove_nodata(const Zone& zone, const Node& node, std::string_view name, Answer& out);

// Whether the signed zone's denial chain holds name (a lower-cased wire name): an NSEC or
// NSEC3 at it, or, as an empty non-terminal, names below it (with NSEC: the next name after
// it in canonical order is one of them, RFC 4034 §6.1).
bool in_denial_chain(const Zone& zone, std::string_view name);

// RFC 4035 §3.1.4: a referral carries the DS RRset at the cut, or the NSEC proving there is
// none; with NSEC3 the NSEC3 matching the cut, or under opt-out the closest encloser proof
// (RFC 5155 §7.2.7).
void prove_referral(const Zone& zone, const Node& cut, Answer& out);

}  // namespace apex
