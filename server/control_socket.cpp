// The control socket's listener and sessions (see control_socket.hpp).
#include "server/control_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "server/control_reply.hpp"
#include "server/log.hpp"
#include "server/privilege_drop.hpp"
#include "storage/file_locations.hpp"

namespace apex::server {
namespace {

namespace asio = boost::asio;
using Local = asio::local::stream_protocol;

const char* state_text(ServerState state) {
  switch (state) {
    case ServerState::kLoading:
      return "loading";
    case ServerState::kServing:
      return "serving";
    case ServerState::kDraining:
      return "draining";
  }
  return "unknown";
}

bool answering(const std::filesystem::path& path) {
  asio::io_context io;
  Local::socket probe(io);
  boost::system::error_code ec;
  probe.connect(Local::endpoint(path.string()), ec);
  return !ec;
}

std::string another_apexd(const std::filesystem::path& path) {
  return "another apexd answers on the control socket " + path.string() +
         " (stop it, or give this one another --control path)";
}

// A socket file in the way: replaced when nothing answers on it (its apexd died), else an
// error: a live server's socket is never taken over.
Status clear_stale(const std::filesystem::path& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Ok{};
    return Error{"control socket " + path.string() + ": " + std::strerror(errno)};
  }
  if (!S_ISSOCK(st.st_mode))
    return Error{"control socket " + path.string() + " exists and is not a socket"};
  asio::io_context io;
  Local::socket probe(io);
  boost::system::error_code ec;
  probe.connect(Local::endpoint(path.string()), ec);
  if (!ec) return Error{another_apexd(path)};
  if (ec != asio::error::connection_refused)
    return Error{"control socket " + path.string() + ": " + ec.message()};
  if (unlink(path.c_str()) != 0 && errno != ENOENT)
    return Error{"cannot remove the stale control socket " + path.string() + ": " +
                 std::strerror(errno)};
  log_info("removed the stale control socket " + path.string());
  return Ok{};
}

}  // namespace

// One client: read a line, answer it, close. Lives on the socket's thread.
class ControlSocket::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ControlSocket& owner, Local::socket socket)
      : owner_(owner), socket_(std::move(socket)), timer_(owner.io_) {}
  ~Session() { --owner_.clients_; }

  // over_limit: the request is read (a client that is still writing would otherwise see its
  // connection reset instead of the reason) and answered with an error.
  void start(bool over_limit) {
    over_limit_ = over_limit;
    arm(kIdleTimeout, "no request line within " + std::to_string(kIdleTimeout.count()) + " s");
    asio::async_read_until(socket_, asio::dynamic_buffer(line_, kMaxControlRequest + 1), '\n',
                           [self = shared_from_this()](const boost::system::error_code& ec,
                                                       std::size_t n) { self->on_line(ec, n); });
  }

  // Sends text, then closes; later replies (a late result after a time-out) are dropped.
  void reply(std::string text) {
    if (replied_) return;
    replied_ = true;
    out_ = std::move(text);
    arm(kIdleTimeout, "");
    asio::async_write(
        socket_, asio::buffer(out_),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
          if (ec) return self->close();
          boost::system::error_code ignored;
          self->socket_.shutdown(Local::socket::shutdown_send, ignored);
          self->discard();
        });
  }

 private:
  void on_line(const boost::system::error_code& ec, std::size_t n) {
    if (replied_) return;
    if (ec == asio::error::not_found)
      return reply(
          control_error("request longer than " + std::to_string(kMaxControlRequest) + " octets"));
    // A client that ends its line with end-of-file instead of a newline is answered too.
    if (ec && ec != asio::error::eof) return close();
    const std::string_view line =
        ec ? std::string_view(line_) : std::string_view(line_).substr(0, n - 1);
    if (over_limit_) return reply(control_error("too many control clients at once"));
    auto request = parse_control_request(line);
    if (!request) return reply(control_error(request.error()));
    owner_.dispatch(shared_from_this(), *request);
  }

  // Reads what the client still sends until it closes (or the idle time-out): closing with
  // unread data would reset the connection (unix(7)), and the client would lose the reply.
  void discard() {
    socket_.async_read_some(
        asio::buffer(sink_),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
          if (ec) return self->close();
          self->discard();
        });
  }

  // what: the error replied when the timer fires first; empty: just close. The wait holds the
  // session while its request is with the control thread.
  void arm(std::chrono::seconds after, std::string what) {
    timer_.expires_after(after);
    timer_.async_wait(
        [self = shared_from_this(), what = std::move(what)](const boost::system::error_code& ec) {
          if (ec) return;
          if (what.empty() || self->replied_) return self->close();
          boost::system::error_code ignored;
          self->socket_.cancel(ignored);  // the pending read: one read at a time (discard)
          self->reply(control_error(what));
        });
  }

  void close() {
    boost::system::error_code ignored;
    timer_.cancel();
    socket_.shutdown(Local::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  ControlSocket& owner_;
  Local::socket socket_;
  asio::steady_timer timer_;
  std::string line_;
  std::string out_;
  bool replied_ = false;
  bool over_limit_ = false;
  std::array<char, 4096> sink_;

  friend class ControlSocket;
};

Result<std::unique_ptr<ControlSocket>> ControlSocket::open(const std::filesystem::path& path,
                                                           const std::string& user) {
  if (path.string().size() >= sizeof(sockaddr_un::sun_path))
    return Error{"control socket " + path.string() + ": the path is longer than " +
                 std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " octets (unix(7))"};
  if (auto ok = clear_stale(path); !ok) return Error{ok.error()};
  std::unique_ptr<ControlSocket> socket(new ControlSocket(path));
  if (auto ok = socket->bind(user); !ok)
    return Error{"control socket " + path.string() + ": " + ok.error()};
  return socket;
}

ControlSocket::ControlSocket(const std::filesystem::path& path) : path_(path), acceptor_(io_) {}

Status ControlSocket::bind(const std::string& user) {
  boost::system::error_code ec;
  // Created 0660 from the start (umask) rather than briefly open to others; apexd has no
  // other thread yet.
  const mode_t previous = umask(0117);
  acceptor_.open(Local(), ec);
  if (!ec) acceptor_.bind(Local::endpoint(path_.string()), ec);
  umask(previous);
  if (ec) return Error{ec.message()};
  struct stat st {};
  if (lstat(path_.c_str(), &st) != 0) return Error{std::strerror(errno)};
  inode_ = st.st_ino;
  bound_ = true;
  if (chmod(path_.c_str(), 0660) != 0) return Error{std::strerror(errno)};
  if (!user.empty())
    if (auto ok = give_to_user(path_, user); !ok) return ok;
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{ec.message()};
  return Ok{};
}

ControlSocket::~ControlSocket() {
  detach();
  io_.stop();
  if (thread_.joinable()) thread_.join();
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  struct stat st {};
  if (bound_ && lstat(path_.c_str(), &st) == 0 && st.st_ino == inode_ && unlink(path_.c_str()) != 0)
    log_warning("control socket " + path_.string() + " not removed: " + std::strerror(errno));
}

void ControlSocket::start(JsonObject facts) {
  facts_ = std::move(facts);
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

void ControlSocket::serve(asio::io_context& control, ControlHandler& handler) {
  std::lock_guard lock(attach_mutex_);
  control_ = &control;
  handler_ = &handler;
  state_ = ServerState::kServing;
}

void ControlSocket::detach() {
  std::lock_guard lock(attach_mutex_);
  control_ = nullptr;
  handler_ = nullptr;
}

void ControlSocket::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, Local::socket client) {
    if (ec == asio::error::operation_aborted) return;
    // Beyond twice the limit a client is closed unanswered: the error replies are bounded too.
    if (!ec && clients_ < 2 * kMaxClients) {
      ++clients_;
      auto session = std::make_shared<Session>(*this, std::move(client));
      session->start(clients_ > kMaxClients);
    }
    accept();
  });
}

std::string ControlSocket::status_reply(const JsonObject& serving) const {
  const auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
  JsonObject body;
  body.add("state", state_text(state_))
      .add("version", APEXDNS_VERSION)
      .add("pid", static_cast<long>(getpid()))
      .add("uptime_s", static_cast<long long>(uptime.count()))
      .merge(serving.members().empty() ? facts_ : serving);
  return control_ok(body);
}

void ControlSocket::dispatch(const std::shared_ptr<Session>& session,
                             const ControlRequest& request) {
  std::lock_guard lock(attach_mutex_);
  if (!control_) {
    if (request.command == ControlCommand::kStatus) return session->reply(status_reply({}));
    return session->reply(control_error(state_ == ServerState::kLoading
                                            ? "apexd is loading its zones; try again shortly"
                                            : "apexd is stopping"));
  }
  session->arm(kActionTimeout,
               "the server did not answer within " + std::to_string(kActionTimeout.count()) + " s");
  // The session is held weakly: a handler the control thread never runs (it stopped) must
  // not keep it, and the reply goes back to the socket's own thread.
  asio::post(*control_,
             [this, handler = handler_, weak = std::weak_ptr<Session>(session), request] {
               std::string text;
               if (request.command == ControlCommand::kStatus) {
                 text = status_reply(handler->status());
               } else {
                 auto done = handler->perform(request);
                 text = done ? control_ok(*done) : control_error(done.error());
               }
               asio::post(io_, [weak, text = std::move(text)]() mutable {
                 if (auto self = weak.lock()) self->reply(std::move(text));
               });
             });
}

Result<std::unique_ptr<ControlSocket>> open_control_socket(const std::filesystem::path& configured,
                                                           const std::filesystem::path& database,
                                                           const std::string& user) {
  const std::filesystem::path path = storage::control_socket_path(configured, database);
  const std::filesystem::path directory =
      path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  if (configured.empty() && access(directory.c_str(), W_OK | X_OK) != 0) {
    if (path.string().size() < sizeof(sockaddr_un::sun_path) && answering(path))
      return Error{another_apexd(path)};
    log_warning("no control socket: apexd may not create " + path.string() + " (" +
                std::strerror(errno) +
                "); apexctl status, stats and reload need [control] socket (--control) set to "
                "a path it may create");
    return std::unique_ptr<ControlSocket>();
  }
  return ControlSocket::open(path, user);
}

}  // namespace apex::server
