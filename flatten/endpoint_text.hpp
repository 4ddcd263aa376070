// An IP endpoint as operators write it: "192.0.2.1:53", "[2001:db8::1]:53" (RFC 3986 §3.2.2
// brackets), the form apexd's configuration reads and its log lines print.
#pragma once

#include <string>

namespace apex::flatten {

template <class Endpoint>
std::string endpoint_text(const Endpoint& ep) {
  const std::string address = ep.address().to_string();
  return (ep.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(ep.port());
}

}  // namespace apex::flatten
