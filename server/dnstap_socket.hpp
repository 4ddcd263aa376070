// The Frame Streams transport of the dnstap log: a bidirectional AF_UNIX stream connection
// to a collector (fstrm's READY/ACCEPT/START handshake, content type protobuf:dnstap.Dnstap),
// which also tells whether it is connected, so frames with nowhere to go are counted.
#pragma once

#include <atomic>
#include <string>

struct fstrm_writer;

namespace apex::server {

// The dnstap content type of the Frame Streams handshake.
inline constexpr const char* kDnstapContentType = "protobuf:dnstap.Dnstap";

// An fstrm writer connecting to the collector at path (connected when fstrm opens it, which
// fstrm_iothr retries every reopen interval). connected is true from the collector's ACCEPT
// until the connection fails or closes; it must outlive the writer. Null when path does not
// fit an AF_UNIX address.
fstrm_writer* dnstap_unix_writer(const std::string& path, std::atomic<bool>& connected);

}  // namespace apex::server
