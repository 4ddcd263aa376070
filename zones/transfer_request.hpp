// Zone transfer requests (AXFR, RFC 5936 §2.1; IXFR, RFC 1995 §3): what a transfer needs from
// the query, and whether this server can stream it at all.
#pragma once

#include <cstdint>

#include "zones/message.hpp"
#include "zones/zone.hpp"
#include "zones/zone_index.hpp"

namespace apex {

// A parsed query whose QTYPE asks for a zone transfer.
bool is_transfer_query(const Query& query);

// What a transfer stream echoes and decides on; a copy, so it outlives the request packet.
struct TransferRequest {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;  // the request's: RD and CD are copied (RFC 5936 §2.2.1)
  Question question;        // as asked, case kept
  bool edns = false;        // the request had an OPT: the first message carries one too
  bool dnssec_ok = false;
  bool has_client_serial = false;  // IXFR: the client's SOA serial (RFC 1995 §3)
  std::uint32_t client_serial = 0;

  static TransferRequest of(const Query& query);
};

// Stream the zone (rcode NoError, zone set), or answer with rcode alone.
struct TransferDecision {
  Rcode rcode = Rcode::NotAuth;
  ZonePtr zone;
};

// A transfer is for a zone this server serves, named by its apex, in class IN; anything else
// is NOTAUTH: the server is not authoritative for the zone asked for (RFC 5936 §2.2.1; BIND
// and Knot answer the same). A name inside a served zone but not its apex is no zone either.
// Access control (address, TSIG key) is the caller's decision, made before this one.
TransferDecision classify_transfer(const ZoneIndex& index, const Query& query);

}  // namespace apex
