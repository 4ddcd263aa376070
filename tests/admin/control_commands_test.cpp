// Specification of apexctl's commands for the running apexd: where they look for its control
// socket, the request line each sends, how replies are shown, and the exit statuses scripts
// branch on. A stand-in server answers with canned replies.
#include "admin/control_commands.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

#include "tests/admin/apexctl_fixture.hpp"

using namespace apex;
using namespace apex::testing;

namespace {

int bound_socket(const std::filesystem::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

// Answers one connection: reads the request line, sends reply, closes.
class FakeApexd {
 public:
  FakeApexd(const std::filesystem::path& path, std::string reply)
      : path_(path), fd_(bound_socket(path)), reply_(std::move(reply)) {
    REQUIRE(::listen(fd_, 4) == 0);
    thread_ = std::thread([this] {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      char c = 0;
      while (::read(client, &c, 1) == 1 && c != '\n') request_ += c;
      [[maybe_unused]] auto sent = ::write(client, reply_.data(), reply_.size());
      ::close(client);
    });
  }
  ~FakeApexd() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  // The request line received (once the command has run).
  const std::string& request() const { return request_; }

 private:
  std::filesystem::path path_;
  int fd_;
  std::string reply_;
  std::string request_;
  std::thread thread_;
};

const char* const kServing =
    "{\"ok\": true, \"state\": \"serving\", \"version\": \"1.2.3\", \"pid\": 42, \"uptime_s\": "
    "3725, \"database\": \"apexdns.db\", \"listen\": [\"127.0.0.1:53\", \"[::1]:53\"], "
    "\"zones\": 12, \"serials_behind\": [{\"secondary\": \"192.0.2.7:53\", \"zones\": 11, "
    "\"examples\": [\"a.example.\", \"b.example.\"]}]}\n";

}  // namespace

TEST_CASE("status without a running apexd: exit 3, and no database is created") {
  Apexctl ctl;
  Run r = ctl.run({"status"});
  CHECK(r.code == 3);
  CHECK(r.err ==
        "apexctl: apexd is not running (no control socket " + ctl.db().string() + ".sock)\n");
  CHECK_FALSE(std::filesystem::exists(ctl.db()));
  // A socket file an apexd that died left behind: nothing listens.
  ::close(bound_socket(ctl.path("apexdns.db.sock")));
  r = ctl.run({"status"});
  CHECK(r.code == 3);
  CHECK(r.err.find("nothing answers on the control socket") != std::string::npos);
}

TEST_CASE("status of a serving apexd: exit 0 and a readable summary") {
  Apexctl ctl;
  FakeApexd apexd(ctl.path("apexdns.db.sock"), kServing);
  Run r = ctl.run({"status"});
  CHECK(r.code == 0);
  CHECK(apexd.request() == "status");
  CHECK(r.out ==
        "state: serving\nversion: 1.2.3\npid: 42\nuptime: 1h 2m 5s\ndatabase: apexdns.db\n"
        "listen: 127.0.0.1:53, [::1]:53\nzones: 12\n"
        "secondary 192.0.2.7:53: 11 zone(s) behind (a.example., b.example., ...)\n");
}

TEST_CASE("status --json prints the reply as it came") {
  Apexctl ctl;
  FakeApexd apexd(ctl.path("apexdns.db.sock"), kServing);
  Run r = ctl.run({"status", "--json"});
  CHECK(r.code == 0);
  CHECK(r.out == kServing);
}

TEST_CASE("status while loading: printed, exit 1") {
  Apexctl ctl;
  FakeApexd apexd(ctl.path("apexdns.db.sock"),
                  "{\"ok\": true, \"state\": \"loading\", \"version\": \"1\", \"pid\": 1, "
                  "\"uptime_s\": 2, \"database\": \"d\", \"listen\": [\"127.0.0.1:53\"]}\n");
  Run r = ctl.run({"status"});
  CHECK(r.code == 1);
  CHECK(r.out.starts_with("state: loading\n"));
}

TEST_CASE("--control, else [control] socket, else the database path + .sock") {
  Apexctl ctl;
  {
    FakeApexd apexd(ctl.path("given.sock"), kServing);
    CHECK(ctl.run({"--control", ctl.path("given.sock").string(), "status"}).code == 0);
  }
  std::ofstream(ctl.path("apexdns.toml")) << "[server]\nthreads = 2\n[control]\nsocket = \""
                                          << ctl.path("configured.sock").string() << "\"\n";
  FakeApexd apexd(ctl.path("configured.sock"), kServing);
  CHECK(ctl.run({"--config", ctl.path("apexdns.toml").string(), "status"}).code == 0);
  std::ofstream(ctl.path("bad.toml")) << "[control]\nsocket = 3\n";
  Run r = ctl.run({"--config", ctl.path("bad.toml").string(), "status"});
  CHECK(r.code == 2);
  CHECK(r.err.find("[control] socket: must be a path") != std::string::npos);
}

TEST_CASE("zone reload and alias refresh send the name absolute and print the outcome") {
  Apexctl ctl;
  {
    FakeApexd apexd(ctl.path("apexdns.db.sock"),
                    "{\"ok\": true, \"zone\": \"example.com.\", \"serial\": 7}\n");
    Run r = ctl.run({"zone", "reload", "Example.com"});
    CHECK(r.code == 0);
    CHECK(apexd.request() == "zone-reload Example.com.");
    CHECK(r.out == "zone example.com. reloaded: serial 7\n");
  }
  FakeApexd apexd(ctl.path("apexdns.db.sock"),
                  "{\"ok\": true, \"alias\": \"www.example.com.\", \"target\": \"cdn.test.\"}\n");
  Run r = ctl.run({"alias", "refresh", "www.example.com"});
  CHECK(r.code == 0);
  CHECK(apexd.request() == "alias-refresh www.example.com.");
  CHECK(r.out == "alias www.example.com.: resolving its target cdn.test. now\n");
}

TEST_CASE("apexd's refusal is the error, exit 1") {
  Apexctl ctl;
  FakeApexd apexd(ctl.path("apexdns.db.sock"),
                  "{\"ok\": false, \"error\": \"zone nope. is not in the database\"}\n");
  Run r = ctl.run({"zone", "reload", "nope"});
  CHECK(r.code == 1);
  CHECK(r.err == "apexctl: zone nope. is not in the database\n");
}

TEST_CASE("a reply that is not JSON is an error, exit 1") {
  Apexctl ctl;
  FakeApexd apexd(ctl.path("apexdns.db.sock"), "HTTP/1.1 400 Bad Request\r\n");
  Run r = ctl.run({"stats"});
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("apexctl: apexd's reply is not a JSON object: invalid JSON"));
}

TEST_CASE("stats prints every counter as a path and a value; --zone asks for one zone") {
  Apexctl ctl;
  {
    FakeApexd apexd(ctl.path("apexdns.db.sock"),
                    "{\"ok\": true, \"stats\": {\"responses\": 5, \"notify\": {\"sent\": 2}, "
                    "\"resolvers\": [{\"resolver\": \"192.0.2.53:53\", \"healthy\": true}]}}\n");
    Run r = ctl.run({"stats"});
    CHECK(r.code == 0);
    CHECK(apexd.request() == "stats");
    CHECK(r.out ==
          "responses: 5\nnotify.sent: 2\nresolvers: resolver 192.0.2.53:53, healthy true\n");
  }
  FakeApexd apexd(ctl.path("apexdns.db.sock"),
                  "{\"ok\": true, \"zone\": \"example.com.\", \"serial\": 9, \"records\": 4, "
                  "\"aliases\": [{\"owner\": \"example.com.\", \"target\": \"lb.cdn.test.\", "
                  "\"a\": {\"state\": \"addresses\", \"addresses\": [\"192.0.2.1\"], \"ttl\": "
                  "300, \"last_error\": \"\"}, \"aaaa\": null}], \"secondaries\": "
                  "[{\"secondary\": \"192.0.2.7:53\", \"notify_serial\": 9, \"transfer_serial\": "
                  "8, \"behind\": true}]}\n");
  Run r = ctl.run({"stats", "--zone", "example.com"});
  CHECK(r.code == 0);
  CHECK(apexd.request() == "stats zone example.com.");
  CHECK(r.out ==
        "zone: example.com.\nserial: 9\nrecords: 4\n"
        "alias example.com. -> lb.cdn.test.: A addresses 192.0.2.1 (TTL 300); AAAA not "
        "resolved yet\n"
        "secondary 192.0.2.7:53: notified serial 9, transferred serial 8, behind\n");
}

TEST_CASE("usage errors: exit 2, nothing sent") {
  Apexctl ctl;
  CHECK(ctl.run({"zone", "reload"}).code == 2);
  CHECK(ctl.run({"alias", "refresh", "a.example", "b.example"}).code == 2);
  CHECK(ctl.run({"status", "--zone", "x"}).code == 2);
  CHECK(ctl.run({"reload", "now"}).code == 2);
  Run help = ctl.run({"zone", "reload", "--help"});
  CHECK(help.code == 0);
  CHECK(help.out.starts_with("Usage: apexctl zone reload ZONE"));
}
