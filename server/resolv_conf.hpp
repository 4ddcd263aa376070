// The system's recursive resolvers (resolv.conf(5) "nameserver" lines): the flattener's
// default upstreams when none are configured.
#pragma once

#include <filesystem>
#include <vector>

#include <boost/asio/ip/udp.hpp>

namespace apex::server {

// Nameserver addresses (port 53) in file order; unreadable files and bad lines yield none.
std::vector<boost::asio::ip::udp::endpoint> resolv_conf_nameservers(
    const std::filesystem::path& path = "/etc/resolv.conf");

}  // namespace apex::server
