// TSIG algorithms (RFC 8945 §6, RFC 4635 §2): their presentation names, wire names and MAC
// lengths, in one place for the server, storage and the admin CLI.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex {

enum class TsigAlgorithm {
  HmacSha256,
  HmacSha1,
  HmacSha224,
  HmacSha384,
  HmacSha512,
};

// RFC 8945 §6: hmac-sha256 is the algorithm every implementation must offer.
inline constexpr TsigAlgorithm kDefaultTsigAlgorithm = TsigAlgorithm::HmacSha256;

// The presentation name BIND and Knot configurations use: "hmac-sha256" and so on.
std::string_view tsig_algorithm_to_text(TsigAlgorithm algorithm);
// A presentation name in any case, with or without a trailing dot. hmac-md5 is known but
// refused (RFC 8945 §6 lists it for compatibility only); the error says which case it is.
Result<TsigAlgorithm> tsig_algorithm_from_text(std::string_view text);

// The algorithm name as it appears in TSIG RDATA (RFC 8945 §4.2), lower case.
const Name& tsig_algorithm_name(TsigAlgorithm algorithm);
// Recognises an uncompressed wire name, case-insensitively; an error for anything else.
Result<TsigAlgorithm> tsig_algorithm_from_name(const Name& name);

// Octets of the untruncated MAC (the hash function's output length).
std::size_t tsig_mac_length(TsigAlgorithm algorithm);

}  // namespace apex
