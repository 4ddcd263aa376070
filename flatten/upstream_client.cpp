// The upstream client: queueing under max_in_flight, pacing by the rate limiter, and tries
// that fail over between resolvers in health order (RFC 5452 §9.1; ARCHITECTURE.md §5).
#include "flatten/upstream_client.hpp"

#include <algorithm>
#include <deque>
#include <exception>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "flatten/endpoint_text.hpp"
#include "flatten/query_id_source.hpp"
#include "flatten/rate_limiter.hpp"
#include "flatten/upstream_exchange.hpp"

namespace apex::flatten {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct Job {
  Name qname;
  RRType qtype;
  UpstreamClient::Done done;
};

UpstreamResult failed_internally(std::exception_ptr e) {
  UpstreamResult result;
  result.status = UpstreamStatus::kNetworkError;
  result.detail = "internal error";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    result.detail += std::string(": ") + ex.what();
  } catch (...) {
  }
  return result;
}

}  // namespace

// Touched only on the strand, except resolvers, which locks for stats() readers.
struct UpstreamClientState {
  UpstreamClientState(asio::io_context& io, UpstreamOptions o)
      : strand(asio::make_strand(io)),
        options(std::move(o)),
        resolvers(options.resolvers, options.health),
        rate(options.max_queries_per_second, options.max_queries_per_second, Clock::now()) {}

  asio::strand<asio::io_context::executor_type> strand;
  UpstreamOptions options;
  ResolverSet resolvers;
  QueryIdSource ids;
  RateLimiter rate;
  unsigned active = 0;
  std::deque<Job> waiting;

  unsigned in_flight_limit() const { return std::max(1u, options.max_in_flight); }
  unsigned tries() const { return std::max(1u, options.tries); }
};

namespace {

using State = std::shared_ptr<UpstreamClientState>;

// Holds the next query back until the rate limiter allows it.
asio::awaitable<void> pace(UpstreamClientState& s) {
  const auto delay = s.rate.reserve(Clock::now());
  if (delay <= Clock::duration::zero()) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, delay);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

// Tries resolvers in health order until one gives a definitive result (answer, NXDOMAIN,
// NODATA) or the tries run out; SERVFAIL, REFUSED, time-outs and errors move on to the next.
// The detail lists every try, so status output shows the whole story.
asio::awaitable<UpstreamResult> resolve_with_failover(State s, Name qname, RRType qtype) {
  UpstreamResult last;
  if (s->resolvers.size() == 0) {
    last.status = UpstreamStatus::kNetworkError;
    last.detail = "no upstream resolvers configured";
    co_return last;
  }
  const auto order = s->resolvers.order(Clock::now());
  std::string history;
  for (unsigned t = 0; t < s->tries(); ++t) {
    const std::size_t i = order[t % order.size()];
    co_await pace(*s);
    s->resolvers.record_query(i);
    ExchangeOutcome out =
        co_await exchange(s->resolvers.endpoint(i), qname, qtype, s->options.try_timeout, s->ids);
    s->resolvers.record_mismatched(i, out.mismatched);
    s->resolvers.record_outcome(i, out.result.status, Clock::now());
    if (!history.empty()) history += "; ";
    history += endpoint_text(s->resolvers.endpoint(i)) + ": " + out.result.detail;
    last = std::move(out.result);
    if (is_definitive(last.status)) break;
  }
  last.detail = std::move(history);
  co_return last;
}

void start(State s, Job job);

// Frees the slot for the next waiting job before calling done, so a throwing callback
// cannot stall the queue.
void finish(State s, const UpstreamClient::Done& done, UpstreamResult result) {
  --s->active;
  while (s->active < s->in_flight_limit() && !s->waiting.empty()) {
    Job next = std::move(s->waiting.front());
    s->waiting.pop_front();
    start(s, std::move(next));
  }
  done(std::move(result));
}

void start(State s, Job job) {
  ++s->active;
  asio::co_spawn(s->strand, resolve_with_failover(s, std::move(job.qname), job.qtype),
                 [s, done = std::move(job.done)](std::exception_ptr e, UpstreamResult result) {
                   if (e) result = failed_internally(e);
                   finish(s, done, std::move(result));
                 });
}

void submit(State s, Job job) {
  if (s->active >= s->in_flight_limit()) {
    s->waiting.push_back(std::move(job));
    return;
  }
  start(std::move(s), std::move(job));
}

}  // namespace

UpstreamClient::UpstreamClient(asio::io_context& io, UpstreamOptions options)
    : state_(std::make_shared<UpstreamClientState>(io, std::move(options))) {}

void UpstreamClient::resolve(const Name& qname, RRType qtype, Done done) {
  asio::post(state_->strand, [s = state_, job = Job{qname, qtype, std::move(done)}]() mutable {
    submit(std::move(s), std::move(job));
  });
}

std::vector<UpstreamClient::ResolverStats> UpstreamClient::stats() const {
  return state_->resolvers.stats();
}

}  // namespace apex::flatten
