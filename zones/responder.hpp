// The query handler: request octets in, response octets out (or nothing: drop). Sessions
// only move bytes; every protocol decision is made here, from one zone index snapshot and
// one ALIAS answer table.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "zones/alias_table.hpp"
#include "zones/answer.hpp"
#include "zones/message.hpp"
#include "zones/response_encoder.hpp"
#include "zones/server_identity.hpp"
#include "zones/tsig_key.hpp"
#include "zones/zone_index.hpp"

namespace apex {

// Largest DNS message (RFC 1035 §4.2.2 length prefix): the size of a response buffer.
inline constexpr std::size_t kMaxMessageSize = 65535;

// Per-responder counts; each responder is driven by one thread, others may read them.
struct ResponderCounters {
  std::atomic<std::uint64_t> responses{0};
  std::atomic<std::uint64_t> dropped{0};
  std::atomic<std::uint64_t> stale_alias_answers{0};  // last-known-good served (ARCHITECTURE.md §5)
};

// What the last response was, for response rate limiting in the server: its kind, the name
// it is accounted to (see Answer::imputed_name) and the question's type. The name is valid
// until the next respond().
struct ResponseSummary {
  AnswerKind kind = AnswerKind::kError;
  std::string_view imputed_name;
  RRType qtype = RRType::A;
};

// Servers without TSIG keys answer every signed query NOTAUTH/BADKEY.
inline const TsigKeyring kNoTsigKeys{};

class Responder {
 public:
  explicit Responder(std::uint16_t max_udp_payload = kDefaultMaxUdpPayload,
                     ServerIdentity identity = {})
      : max_udp_payload_(max_udp_payload), identity_(std::move(identity)) {}

  // Returns the length of the response written to out, or 0 when the request is dropped.
  // out should hold kMaxMessageSize octets. Reuses its buffers: no allocation once warm.
  // A query closed by a TSIG is verified against keys at time now (seconds since 1970) and
  // its answer signed (RFC 8945 §5.3), or answered NOTAUTH with the TSIG error (§5.2).
  std::size_t respond(const ZoneIndex& index, const AliasTable& aliases,
                      std::span<const std::uint8_t> request, Transport transport,
                      std::span<std::uint8_t> out, const TsigKeyring& keys = kNoTsigKeys,
                      std::uint64_t now = 0);

  const ResponderCounters& counters() const { return counters_; }
  ResponseSummary last_response() const {
    return {answer_.kind, answer_.imputed_name, query_.question.qtype};
  }

 private:
  std::size_t size_limit(Transport transport) const;
  // Class CH asks the server about itself; everything else is zone data.
  void answer(const ZoneIndex& index, const AliasTable& aliases, Transport transport);
  std::size_t respond_signed(const ZoneIndex& index, const AliasTable& aliases,
                             std::span<const std::uint8_t> request, Transport transport,
                             std::span<std::uint8_t> out, const TsigKeyring& keys,
                             std::uint64_t now);

  std::uint16_t max_udp_payload_;
  ServerIdentity identity_;
  Query query_;
  Answer answer_;
  ResponseEncoder encoder_;
  ResponderCounters counters_;
};

}  // namespace apex
