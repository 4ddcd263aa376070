// The TSIG algorithms apexctl accepts for keys (RFC 8945 §6), with their digest lengths.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace apex::admin {

struct TsigAlgorithm {
  std::string_view name;      // "hmac-sha256": the algorithm name without its trailing dot
  std::size_t digest_octets;  // L of RFC 2104 §2: the hash output length
};

// The default of `tsig add`: hmac-sha256, which RFC 8945 §6 makes mandatory to implement.
inline constexpr std::string_view kDefaultTsigAlgorithm = "hmac-sha256";

// The algorithm named by text (any case, with or without the trailing dot), if supported.
std::optional<TsigAlgorithm> tsig_algorithm(std::string_view text);
// "hmac-sha1, hmac-sha224, ...", for messages.
std::string tsig_algorithm_names();

}  // namespace apex::admin
