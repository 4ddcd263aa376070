// Classifies a genuine resolver response by RCODE and content: answer, NXDOMAIN, NODATA with
// its negative TTL (RFC 2308 §2, §5), or a resolver failure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "flatten/upstream_result.hpp"
#include "zones/message_decoder.hpp"

namespace apex::flatten {

// RFC 2308 §5: a negative answer may be cached for min(SOA TTL, SOA MINIMUM) of the SOA in the
// authority section; nullopt when there is none (RFC 2308 §5: then it must not be cached).
std::optional<std::uint32_t> negative_ttl(std::span<const Record> authority);

// Status, answer section and negative TTL of a response already matched to our query (RFC 5452
// §9.1); detail says what the resolver answered. The resolver field is left for the caller.
// NOERROR counts as an answer when it holds records of qtype or a CNAME (the caller follows
// the chain), else as NODATA. RCODEs a recursive resolver should not send to a well-formed
// query (FORMERR, NOTIMP, …) count as SERVFAIL.
UpstreamResult classify_response(const DecodedMessage& response, RRType qtype);

}  // namespace apex::flatten
