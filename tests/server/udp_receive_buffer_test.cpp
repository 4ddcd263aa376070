// Specification of the UDP receive buffer apexd asks for: granted up to what the kernel allows,
// reported as the caller's bytes, and left alone when 0 is asked.
#include "server/udp_receive_buffer.hpp"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

using namespace apex::server;

namespace {

struct UdpSocket {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ~UdpSocket() { ::close(fd); }
};

std::size_t rmem_max() {
  std::size_t value = 0;
  std::ifstream("/proc/sys/net/core/rmem_max") >> value;
  return value;
}

}  // namespace

TEST_CASE("the buffer asked for is granted, up to net.core.rmem_max without CAP_NET_ADMIN") {
  UdpSocket s;
  REQUIRE(s.fd >= 0);
  const std::size_t asked = 1u << 20;
  const std::size_t granted = widen_receive_buffer(s.fd, asked);
  CHECK(granted == receive_buffer(s.fd));
  // SO_RCVBUFFORCE may pass the cap (CAP_NET_ADMIN); SO_RCVBUF alone reaches it.
  CHECK(granted >= std::min(asked, rmem_max()));
  CHECK(granted <= asked);
  if (geteuid() == 0) CHECK(granted == asked);
}

TEST_CASE("0 leaves the system default") {
  UdpSocket s;
  REQUIRE(s.fd >= 0);
  const std::size_t before = receive_buffer(s.fd);
  CHECK(before > 0);
  CHECK(widen_receive_buffer(s.fd, 0) == before);
  CHECK(receive_buffer(s.fd) == before);
}

TEST_CASE("a request above what Linux grants gets kLargestReceiveBuffer") {
  UdpSocket s;
  REQUIRE(s.fd >= 0);
  if (geteuid() != 0) return;  // beyond net.core.rmem_max only with CAP_NET_ADMIN
  CHECK(widen_receive_buffer(s.fd, std::size_t{1} << 30) == kLargestReceiveBuffer);
}
