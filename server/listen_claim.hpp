// Listening addresses belong to one apexd. Worker sockets use SO_REUSEPORT so the kernel
// spreads queries across threads, but that also lets any other process of the same user join
// and silently take a share of the queries. So before the workers bind, each address is bound
// once without SO_REUSEPORT, for UDP and TCP: that fails while anything else holds the
// address, and apexd refuses to start. A second apexd doing the same then fails against ours.
#pragma once

#include <string>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "zones/result.hpp"

namespace apex::server {

// Checks that every address is free for UDP and TCP, and resolves port 0 to a port the
// kernel chose that is free for both. Returns the addresses to bind, in order.
Result<std::vector<boost::asio::ip::udp::endpoint>> claim_listen_addresses(
    const std::vector<boost::asio::ip::udp::endpoint>& wanted);

}  // namespace apex::server
