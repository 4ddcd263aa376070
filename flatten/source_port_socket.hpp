// A fresh UDP socket for each upstream query, bound to a CSPRNG-chosen source port
// (RFC 5452 §9.2, §10), so a spoofer must guess the port as well as the query ID.
#pragma once

#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/udp.hpp>

#include "flatten/query_id_source.hpp"
#include "zones/result.hpp"

namespace apex::flatten {

// Opens a socket of the resolver's address family and binds it to the wildcard address on a
// random port from kMinSourcePort to 65535, drawing again when the port is taken.
Result<std::shared_ptr<boost::asio::ip::udp::socket>> open_source_port_socket(
    const boost::asio::any_io_executor& executor, boost::asio::ip::udp protocol,
    QueryIdSource& ids);

}  // namespace apex::flatten
