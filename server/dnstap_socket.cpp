// The AF_UNIX transport under fstrm's writer, as fstrm_unix_writer does it, plus what that
// one lacks: the connection state for the drop counter, a reconnect that closes a connection
// whose handshake failed (fstrm 0.6 reopens without closing it), and time limits on socket
// reads and writes so a collector that stops reading cannot hold apexd's shutdown forever.
#include "server/dnstap_socket.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include <fstrm.h>

namespace apex::server {
namespace {

// A collector that does not read or answer for this long is disconnected (and reconnected
// later): fstrm would otherwise block in the write, and apexd's shutdown with it.
constexpr timeval kSocketTimeout{5, 0};

struct UnixTransport {
  sockaddr_un address{};
  std::atomic<bool>* connected;
  int fd = -1;
  bool accepted = false;  // the collector's ACCEPT came on this connection

  void disconnect() {
    connected->store(false, std::memory_order_relaxed);
    accepted = false;
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

UnixTransport& transport(void* obj) {
  return *static_cast<UnixTransport*>(obj);
}

fstrm_res open_transport(void* obj) {
  UnixTransport& t = transport(obj);
  t.disconnect();  // a connection whose handshake failed is still open: start afresh
  t.fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (t.fd < 0) return fstrm_res_failure;
  ::setsockopt(t.fd, SOL_SOCKET, SO_SNDTIMEO, &kSocketTimeout, sizeof kSocketTimeout);
  ::setsockopt(t.fd, SOL_SOCKET, SO_RCVTIMEO, &kSocketTimeout, sizeof kSocketTimeout);
  if (::connect(t.fd, reinterpret_cast<const sockaddr*>(&t.address), sizeof t.address) != 0) {
    t.disconnect();
    return fstrm_res_failure;
  }
  return fstrm_res_success;
}

fstrm_res close_transport(void* obj) {
  UnixTransport& t = transport(obj);
  const bool was_open = t.fd >= 0;
  t.disconnect();
  return was_open ? fstrm_res_success : fstrm_res_failure;
}

fstrm_res read_transport(void* obj, void* data, std::size_t count) {
  UnixTransport& t = transport(obj);
  auto* at = static_cast<char*>(data);
  while (count > 0) {
    ssize_t n = ::recv(t.fd, at, count, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fstrm_res_failure;
    at += n;
    count -= static_cast<std::size_t>(n);
  }
  t.accepted = true;  // the handshake's only read by a writer is the ACCEPT frame
  return fstrm_res_success;
}

fstrm_res write_transport(void* obj, const iovec* iov, int iovcnt) {
  UnixTransport& t = transport(obj);
  // sendmsg may write part of the vector: go on from where it stopped.
  iovec rest[IOV_MAX];
  if (iovcnt > IOV_MAX) return fstrm_res_failure;  // fstrm writes at most 256 at a time
  int count = iovcnt;
  std::copy(iov, iov + count, rest);
  iovec* next = rest;
  while (count > 0) {
    msghdr msg{};
    msg.msg_iov = next;
    msg.msg_iovlen = static_cast<std::size_t>(count);
    ssize_t n = ::sendmsg(t.fd, &msg, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fstrm_res_failure;
    auto written = static_cast<std::size_t>(n);
    while (count > 0 && written >= next->iov_len) {
      written -= next->iov_len;
      ++next;
      --count;
    }
    if (count > 0) {
      next->iov_base = static_cast<char*>(next->iov_base) + written;
      next->iov_len -= written;
    }
  }
  if (t.accepted && !t.connected->load(std::memory_order_relaxed))
    t.connected->store(true, std::memory_order_relaxed);  // START written: frames flow
  return fstrm_res_success;
}

fstrm_res destroy_transport(void* obj) {
  UnixTransport* t = static_cast<UnixTransport*>(obj);
  t->disconnect();
  delete t;
  return fstrm_res_success;
}

}  // namespace

fstrm_writer* dnstap_unix_writer(const std::string& path, std::atomic<bool>& connected) {
  auto* t = new UnixTransport;
  t->connected = &connected;
  if (path.empty() || path.size() >= sizeof t->address.sun_path) {
    delete t;
    return nullptr;
  }
  t->address.sun_family = AF_UNIX;
  std::memcpy(t->address.sun_path, path.data(), path.size());
  fstrm_rdwr* rdwr = fstrm_rdwr_init(t);
  fstrm_rdwr_set_destroy(rdwr, destroy_transport);
  fstrm_rdwr_set_open(rdwr, open_transport);
  fstrm_rdwr_set_close(rdwr, close_transport);
  fstrm_rdwr_set_read(rdwr, read_transport);
  fstrm_rdwr_set_write(rdwr, write_transport);
  fstrm_writer_options* options = fstrm_writer_options_init();
  fstrm_writer_options_add_content_type(options, kDnstapContentType,
                                        std::strlen(kDnstapContentType));
  fstrm_writer* writer = fstrm_writer_init(options, &rdwr);
  fstrm_writer_options_destroy(&options);
  return writer;
}

}  // namespace apex::server
