// The kernel buffer a UDP socket receives queries into, sized from [server]
// udp_receive_buffer: a burst that arrives while a worker is off its core waits there rather
// than being dropped (ARCHITECTURE.md §7, Threading).
#pragma once

#include <cstddef>
#include <limits>

namespace apex::server {

// The most Linux grants, whatever is asked: it keeps twice the size in an int (socket(7)).
inline constexpr std::size_t kLargestReceiveBuffer = std::numeric_limits<int>::max() / 2;

// Asks for `bytes` (at most kLargestReceiveBuffer) of receive buffer on socket `fd` and returns
// what the kernel granted. SO_RCVBUF is capped at net.core.rmem_max; when that leaves less than
// asked, SO_RCVBUFFORCE (allowed with CAP_NET_ADMIN, i.e. while apexd still runs as root) is tried.
// A failure keeps the system default, so answering never depends on it. bytes == 0: left as it is.
std::size_t widen_receive_buffer(int fd, std::size_t bytes);

// The receive buffer of `fd`, in the bytes a caller asks for (Linux reports twice that,
// its bookkeeping included: socket(7)).
std::size_t receive_buffer(int fd);

}  // namespace apex::server
