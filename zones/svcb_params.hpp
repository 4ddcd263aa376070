// SVCB/HTTPS SvcParams (RFC 9460 §2.1, §7, §8, Appendix A): presentation form <-> wire form.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zones/result.hpp"

namespace apex {

// Wire SvcParams (keys in increasing order, each once, values checked per key, the RR
// self-consistent per RFC 9460 §2.4.3) from presentation fields such as "alpn=h2,h3",
// "port=8443", "no-default-alpn", "key667=\"x\"". Errors start with the key, e.g.
// "port: '99999' is not a number from 0 to 65535".
Result<std::vector<std::uint8_t>> svc_params_from_text(std::span<const std::string> fields);

// Checks wire SvcParams (everything after TargetName) by the same rules.
Status svc_params_check_wire(std::span<const std::uint8_t> wire);

// Space-separated presentation form of wire SvcParams that pass svc_params_check_wire;
// empty for none. Keys 0-6 by name, others as keyNNNNN.
std::string svc_params_to_text(std::span<const std::uint8_t> wire);

}  // namespace apex
