// inotify(7) on the database's directory: the WAL file is written on every commit (and may be
// recreated after the last connection closes), so the directory is watched, not the file.
#include "server/database_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace apex::server {

Status DatabaseWatch::start(const std::filesystem::path& database, OnWrite on_write) {
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Error{std::string("inotify_init1: ") + std::strerror(errno)};
  std::filesystem::path directory = database.parent_path();
  if (directory.empty()) directory = ".";
  if (inotify_add_watch(fd, directory.c_str(), IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0) {
    const int error = errno;
    ::close(fd);
    return Error{"inotify_add_watch " + directory.string() + ": " + std::strerror(error)};
  }
  descriptor_.assign(fd);
  prefix_ = database.filename().string();
  on_write_ = std::move(on_write);
  read();
  return Ok{};
}

void DatabaseWatch::stop() {
  boost::system::error_code ignored;
  descriptor_.close(ignored);
}

bool DatabaseWatch::names_database(const char* events, std::size_t length) const {
  for (std::size_t pos = 0; pos + sizeof(inotify_event) <= length;) {
    inotify_event event;
    std::memcpy(&event, events + pos, sizeof event);
    const char* name = events + pos + sizeof(inotify_event);
    if (event.len > 0 && std::strncmp(name, prefix_.c_str(), prefix_.size()) == 0) return true;
    pos += sizeof(inotify_event) + event.len;
  }
  return false;
}

void DatabaseWatch::read() {
  descriptor_.async_read_some(boost::asio::buffer(buffer_),
                              [this](const boost::system::error_code& ec, std::size_t length) {
                                if (ec) return;  // closed by stop(), or the descriptor failed
                                if (names_database(buffer_.data(), length)) on_write_();
                                read();
                              });
}

}  // namespace apex::server
