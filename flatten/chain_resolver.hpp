// Resolves one family of one ALIAS target (ARCHITECTURE.md §5): follows its CNAME chain through the
// provider-owned zones this server serves (no upstream query) and through the recursive
// resolvers, asking again where a resolver stopped at a CNAME, until addresses, a negative
// answer or a failure.
#pragma once

#include <functional>
#include <utility>  // boost/asio/awaitable.hpp of Boost 1.74 uses std::exchange unincluded

#include <boost/asio/awaitable.hpp>

#include "flatten/provider_zones.hpp"
#include "flatten/resolution.hpp"
#include "flatten/upstream_client.hpp"
#include "zones/zone_index.hpp"

namespace apex::flatten {

// The zones served now and which of them are provider-owned; either null: none.
struct LocalZones {
  ZoneIndexPtr index;
  ProviderZonesPtr providers;
};

struct ChainSources {
  // Asks the recursive resolvers (UpstreamClient::resolve, or a stand-in); done may run on
  // any thread of the io_context.
  std::function<void(const Name&, RRType, UpstreamClient::Done)> upstream;
  // The zones served now; read at every step, so a zone change made while a resolution is
  // under way is seen by its later steps.
  std::function<LocalZones()> zones;
  unsigned max_depth = 8;
};

// Runs on the calling coroutine's executor and resumes there after each upstream answer.
// The Resolution counts the upstream queries and local lookups it took.
boost::asio::awaitable<Resolution> resolve_chain(ChainSources sources, Name target, RRType family);

}  // namespace apex::flatten
