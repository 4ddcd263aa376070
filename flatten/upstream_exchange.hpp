// One query/response exchange with one resolver: UDP from a fresh random port, only the
// genuine response accepted (RFC 5452 §9.1), the same question again over TCP on TC=1
// (RFC 1035 §4.2.2 framing, RFC 7766 §5).
#pragma once

#include <chrono>
#include <cstdint>
#include <utility>  // boost/asio/awaitable.hpp of Boost 1.74 uses std::exchange unincluded

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>

#include "flatten/query_id_source.hpp"
#include "flatten/upstream_result.hpp"
#include "zones/name.hpp"
#include "zones/rrtype.hpp"

namespace apex::flatten {

struct ExchangeOutcome {
  UpstreamResult result;         // resolver set; detail says what happened, not to whom
  std::uint64_t mismatched = 0;  // datagrams ignored: wrong source, ID or question
};

// Runs on the calling coroutine's executor. Datagrams that are not the genuine response are
// counted and ignored, and waiting goes on until timeout; a TCP retry gets a timeout of its own.
boost::asio::awaitable<ExchangeOutcome> exchange(boost::asio::ip::udp::endpoint resolver,
                                                 Name qname, RRType qtype,
                                                 std::chrono::milliseconds timeout,
                                                 QueryIdSource& ids);

}  // namespace apex::flatten
