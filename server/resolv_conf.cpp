// resolv.conf(5) reading: only "nameserver ADDRESS" lines matter here.
#include "server/resolv_conf.hpp"

#include <fstream>
#include <sstream>

#include <boost/asio/ip/address.hpp>

namespace apex::server {

std::vector<boost::asio::ip::udp::endpoint> resolv_conf_nameservers(
    const std::filesystem::path& path) {
  std::vector<boost::asio::ip::udp::endpoint> out;
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    std::string keyword, address;
    if (!(fields >> keyword >> address) || keyword != "nameserver") continue;
    // A scoped IPv6 address ("fe80::1%eth0") keeps its scope in make_address.
    boost::system::error_code ec;
    auto ip = boost::asio::ip::make_address(address, ec);
    if (!ec) out.emplace_back(ip, 53);
  }
  return out;
}

}  // namespace apex::server
