// Chain following across local zones and upstream resolvers (ARCHITECTURE.md §5).
#include "flatten/chain_resolver.hpp"

#include <memory>
#include <optional>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "flatten/answer_walk.hpp"
#include "flatten/local_lookup.hpp"

namespace apex::flatten {
namespace {

namespace asio = boost::asio;

// Adapts the callback of ChainSources::upstream to an awaitable that resumes on the awaiting
// coroutine's executor, whichever thread the callback comes on (posted, never inline, so a
// callback made from inside upstream() cannot resume the coroutine before it has suspended).
template <class Token>
auto async_upstream(const ChainSources& sources, const Name& qname, RRType qtype, Token&& token) {
  return asio::async_initiate<Token, void(UpstreamResult)>(
      [&sources](auto handler, const Name& qname, RRType qtype) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        sources.upstream(qname, qtype, [shared](UpstreamResult result) {
          auto executor = asio::get_associated_executor(*shared);
          asio::post(executor, [shared, result = std::move(result)]() mutable {
            (*shared)(std::move(result));
          });
        });
      },
      token, qname, qtype);
}

// What a local step means for the chain: nullopt to go on (after a hop), or the end.
std::optional<Resolution> follow_local(const LocalStep& step, ChainTrail& trail) {
  switch (step.kind) {
    case LocalStep::Kind::kAddresses:
      return resolved_addresses(trail, step.addresses, step.ttl);
    case LocalStep::Kind::kHop:
      if (auto ok = trail.hop(step.next, step.ttl); !ok)
        return resolution_failure(trail, ok.error());
      return std::nullopt;
    case LocalStep::Kind::kNoData:
      return resolved_negative(ResolutionKind::kNoData, trail, step.ttl, true);
    case LocalStep::Kind::kNxDomain:
      return resolved_negative(ResolutionKind::kNxDomain, trail, step.ttl, true);
    case LocalStep::Kind::kFailure:
      return resolution_failure(trail, step.error);
    case LocalStep::Kind::kNotServed:
      break;
  }
  return std::nullopt;
}

}  // namespace

asio::awaitable<Resolution> resolve_chain(ChainSources sources, Name target, RRType family) {
  ChainTrail trail(std::move(target), sources.max_depth);
  unsigned upstream_queries = 0, local_lookups = 0;
  auto finish = [&](Resolution r) {
    r.upstream_queries = upstream_queries;
    r.local_lookups = local_lookups;
    return r;
  };
  // Every pass either ends or adds at least one hop, so the trail's depth limit bounds it.
  for (;;) {
    const LocalZones local = sources.zones ? sources.zones() : LocalZones{};
    const bool any_local = local.index && local.providers && local.providers->size() > 0;
    if (any_local) {
      const LocalStep step = local_step(*local.index, *local.providers, trail.current(), family);
      if (step.kind != LocalStep::Kind::kNotServed) {
        ++local_lookups;
        if (auto end = follow_local(step, trail)) co_return finish(std::move(*end));
        continue;
      }
    }
    ++upstream_queries;
    const UpstreamResult result =
        co_await async_upstream(sources, trail.current(), family, asio::use_awaitable);
    auto served = [&local, any_local](const Name& name) {
      return any_local && is_served(*local.index, *local.providers, name);
    };
    WalkOutcome walked = walk_answer(result, family, trail, served);
    if (walked.done) co_return finish(std::move(walked.resolution));
  }
}

}  // namespace apex::flatten
