// Specification of apexd's control socket: where it answers, who may use it, what it says
// before and while the server serves, and that no client can make it misbehave.
#include "server/control_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include <doctest/doctest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "tests/storage/temp_directory.hpp"

using namespace apex;
using namespace apex::server;
namespace asio = boost::asio;
using Local = asio::local::stream_protocol;

namespace {

// Sends raw octets (half-closing when end), returns everything read until the server closes.
std::string ask(const std::filesystem::path& path, const std::string& octets, bool end = true) {
  asio::io_context io;
  Local::socket s(io);
  s.connect(Local::endpoint(path.string()));
  asio::write(s, asio::buffer(octets));
  if (end) s.shutdown(Local::socket::shutdown_send);
  std::string reply;
  boost::system::error_code ec;
  asio::read(s, asio::dynamic_buffer(reply), ec);
  return reply;
}

// Answers every command with what it was asked, as the server's control thread would.
class EchoHandler : public ControlHandler {
 public:
  JsonObject status() override { return JsonObject().add("zones", 3); }
  Result<JsonObject> perform(const ControlRequest& request) override {
    if (request.command == ControlCommand::kZoneReload && request.name->to_text() == "nope.")
      return Error{"zone nope. is not in the database"};
    return JsonObject().add("name", request.name ? request.name->to_text() : "");
  }
};

// The server's control thread.
struct ControlThread {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{asio::make_work_guard(io)};
  std::thread thread{[this] { io.run(); }};
  ~ControlThread() {
    work.reset();
    io.stop();
    thread.join();
  }
};

std::unique_ptr<ControlSocket> opened(const std::filesystem::path& path) {
  auto socket = ControlSocket::open(path, "");
  REQUIRE_MESSAGE(socket, (socket ? "" : socket.error()));
  return std::move(*socket);
}

}  // namespace

TEST_CASE("the socket is created mode 0660 and removed when the server stops") {
  testing::TempDirectory dir;
  const auto path = dir / "apexdns.db.sock";
  {
    auto socket = opened(path);
    struct stat st {};
    REQUIRE(lstat(path.c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 07777) == 0660);
  }
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("a socket another server answers on is refused, a stale one replaced") {
  testing::TempDirectory dir;
  const auto path = dir / "ctl.sock";
  {
    auto first = opened(path);
    first->start(JsonObject());
    auto second = ControlSocket::open(path, "");
    REQUIRE_FALSE(second);
    CHECK(second.error().find("another apexd answers") != std::string::npos);
    // The refused one left the live socket alone.
    CHECK(ask(path, "status\n").starts_with("{\"ok\": true"));
  }
  // What a killed server leaves: a socket file nothing listens on.
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  ::close(fd);
  REQUIRE(std::filesystem::exists(path));
  auto replacement = opened(path);
  replacement->start(JsonObject());
  CHECK(ask(path, "status\n").starts_with("{\"ok\": true"));
}

TEST_CASE("a file that is not a socket is never replaced") {
  testing::TempDirectory dir;
  const auto path = dir / "apexdns.db";
  std::ofstream(path) << "precious";
  auto socket = ControlSocket::open(path, "");
  REQUIRE_FALSE(socket);
  CHECK(socket.error().find("is not a socket") != std::string::npos);
  std::string kept;
  std::ifstream(path) >> kept;
  CHECK(kept == "precious");
}

TEST_CASE("a path too long for a UNIX socket is an error, not a crash") {
  testing::TempDirectory dir;
  auto socket = ControlSocket::open(dir / std::string(200, 's'), "");
  REQUIRE_FALSE(socket);
  CHECK(socket.error().find("longer than") != std::string::npos);
}

TEST_CASE("while loading, status says so with the facts given, and commands are refused") {
  testing::TempDirectory dir;
  const auto path = dir / "ctl.sock";
  auto socket = opened(path);
  socket->start(JsonObject().add("database", "apexdns.db"));
  const std::string status = ask(path, "status\n");
  CHECK(status.starts_with("{\"ok\": true, \"state\": \"loading\", \"version\": \"" APEXDNS_VERSION
                           "\", \"pid\": " +
                           std::to_string(getpid()) + ", \"uptime_s\": "));
  CHECK(status.ends_with(", \"database\": \"apexdns.db\"}\n"));
  CHECK(ask(path, "reload\n") ==
        "{\"ok\": false, \"error\": \"apexd is loading its zones; try again shortly\"}\n");
}

TEST_CASE("while serving, commands run through the handler on the control thread") {
  testing::TempDirectory dir;
  const auto path = dir / "ctl.sock";
  auto socket = opened(path);
  socket->start(JsonObject().add("database", "apexdns.db"));
  ControlThread control;
  EchoHandler handler;
  socket->serve(control.io, handler);
  const std::string status = ask(path, "status\n");
  CHECK(status.find("\"state\": \"serving\"") != std::string::npos);
  CHECK(status.ends_with(", \"zones\": 3}\n"));
  CHECK(ask(path, "zone-reload Example.com\n") == "{\"ok\": true, \"name\": \"example.com.\"}\n");
  CHECK(ask(path, "zone-reload nope\n") ==
        "{\"ok\": false, \"error\": \"zone nope. is not in the database\"}\n");
  // A line ended by the end of the stream rather than a newline is answered too.
  CHECK(ask(path, "alias-refresh www.example.com") ==
        "{\"ok\": true, \"name\": \"www.example.com.\"}\n");
  socket->draining();
  CHECK(ask(path, "status\n").find("\"state\": \"draining\"") != std::string::npos);
  socket->detach();
  CHECK(ask(path, "stats\n") == "{\"ok\": false, \"error\": \"apexd is stopping\"}\n");
}

TEST_CASE("malformed requests get error replies and the socket keeps answering") {
  testing::TempDirectory dir;
  const auto path = dir / "ctl.sock";
  auto socket = opened(path);
  socket->start(JsonObject());
  CHECK(ask(path, "\n") == "{\"ok\": false, \"error\": \"empty request\"}\n");
  CHECK(ask(path, "") == "{\"ok\": false, \"error\": \"empty request\"}\n");
  CHECK(ask(path, "shutdown now\n") ==
        "{\"ok\": false, \"error\": \"unknown command 'shutdown'\"}\n");
  CHECK(ask(path, "\xff\xfe\x01\n") ==
        "{\"ok\": false, \"error\": \"request has control characters\"}\n");
  CHECK(ask(path, std::string(10240, 'x') + "\n") ==
        "{\"ok\": false, \"error\": \"request longer than 4096 octets\"}\n");
  CHECK(ask(path, "status\n").starts_with("{\"ok\": true"));
}

TEST_CASE("more clients at once than the limit: the extra ones are told so at once") {
  testing::TempDirectory dir;
  const auto path = dir / "ctl.sock";
  auto socket = opened(path);
  socket->start(JsonObject());
  asio::io_context io;
  std::vector<Local::socket> idle;
  for (std::size_t i = 0; i < ControlSocket::kMaxClients; ++i) {
    idle.emplace_back(io);
    idle.back().connect(Local::endpoint(path.string()));
  }
  // The idle clients hold their places (until the idle time-out) without a request line.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(ask(path, "status\n") ==
        "{\"ok\": false, \"error\": \"too many control clients at once\"}\n");
  idle.clear();
  std::string reply;
  for (int i = 0; i < 100 && !reply.starts_with("{\"ok\": true"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    reply = ask(path, "status\n");
  }
  CHECK(reply.starts_with("{\"ok\": true"));
}
