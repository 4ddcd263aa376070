// apexd's control socket: a local UNIX stream socket (unix(7)) where `apexctl status`, `stats`,
// `reload`, `zone reload` and `alias refresh` reach the running server. One request line in,
// one JSON object out (control_request.hpp, control_reply.hpp), then the connection closes.
// It answers on a thread and io_context of its own from before the zones are loaded, so
// `status` can say "loading"; what touches server state runs on the server's control thread
// (ARCHITECTURE.md §7), and the reply waits for it, bounded.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include "server/control_request.hpp"
#include "zones/json_text.hpp"
#include "zones/result.hpp"

namespace apex::server {

enum class ServerState { kLoading, kServing, kDraining };

// The server side of the commands; every call runs on the server's control thread.
class ControlHandler {
 public:
  virtual ~ControlHandler() = default;
  // What status adds while serving (zones, listen addresses, serials behind).
  virtual JsonObject status() = 0;
  // Every command but status: the reply's members, or why it failed.
  virtual Result<JsonObject> perform(const ControlRequest& request) = 0;
};

class ControlSocket {
 public:
  // At most this many clients are served at once; as many more get an error reply, and
  // beyond that a connection is closed at once.
  static constexpr std::size_t kMaxClients = 16;
  // A client that has not sent its request line, or not read its reply, by then is closed.
  static constexpr std::chrono::seconds kIdleTimeout{5};
  // How long a reply waits for the control thread before it says so.
  static constexpr std::chrono::seconds kActionTimeout{8};

  // Binds path with mode 0660, owned by user when one is given and apexd runs as root (before
  // it drops privileges). A socket file no process answers on (left by an apexd that died) is
  // replaced; one another process answers on is an error, as is a file that is not a socket.
  static Result<std::unique_ptr<ControlSocket>> open(const std::filesystem::path& path,
                                                     const std::string& user);
  // Stops answering and removes the socket file (unless another file has taken its place).
  ~ControlSocket();
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;

  // Starts answering on its own thread; until serve(), status reports "loading" with facts'
  // members (database, listen addresses as configured) and other commands are refused.
  void start(JsonObject facts);
  // From now on commands run on control's thread through handler; status says "serving".
  void serve(boost::asio::io_context& control, ControlHandler& handler);
  // Status says "draining" (SIGTERM: the server finishes its connections, then stops).
  void draining() { state_ = ServerState::kDraining; }
  // No more commands reach control or handler (call before either goes away); status still
  // answers until the socket is destroyed.
  void detach();

  const std::filesystem::path& path() const { return path_; }

 private:
  class Session;
  explicit ControlSocket(const std::filesystem::path& path);
  Status bind(const std::string& user);
  void accept();
  // Answers request for session, at once or after the control thread has run it.
  void dispatch(const std::shared_ptr<Session>& session, const ControlRequest& request);
  std::string status_reply(const JsonObject& serving) const;

  std::filesystem::path path_;
  bool bound_ = false;
  ino_t inode_ = 0;  // of the socket file bound: removed at exit only if still the same
  std::atomic<ServerState> state_{ServerState::kLoading};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::size_t clients_ = 0;  // on the socket's thread
  JsonObject facts_;         // written before the thread starts

  std::mutex attach_mutex_;  // guards control_ and handler_
  boost::asio::io_context* control_ = nullptr;
  ControlHandler* handler_ = nullptr;

  // Last: destroyed first, with the sessions its pending handlers still hold.
  boost::asio::io_context io_{1};
  boost::asio::local::stream_protocol::acceptor acceptor_;
  std::thread thread_;
};

// The server's control socket, at control_socket_path(). Beside the database in a directory
// apexd may not create files in (it serves a database it may only read), there is none: a
// warning says so and the result is null, for apexd serves such a database all the same. A
// configured path that cannot be bound, and one another apexd answers on, are errors.
Result<std::unique_ptr<ControlSocket>> open_control_socket(const std::filesystem::path& configured,
                                                           const std::filesystem::path& database,
                                                           const std::string& user);

}  // namespace apex::server
