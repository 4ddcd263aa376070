// Switching to an unprivileged user after binding (see privilege_drop.hpp).
#include "server/privilege_drop.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace apex::server {
namespace {

Error failed(const std::string& what) {
  return Error{what + ": " + std::strerror(errno)};
}

struct UserIds {
  uid_t uid;
  gid_t gid;
};

Result<UserIds> user_ids(const std::string& user) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found)
    return Error{"user '" + user + "' does not exist"};
  return UserIds{found->pw_uid, found->pw_gid};
}

}  // namespace

Status drop_privileges(const std::string& user) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found)
    return Error{"user '" + user + "' does not exist"};
  if (geteuid() != 0) {
    if (geteuid() == found->pw_uid) return Ok{};
    return Error{"switching to user '" + user + "' needs root (apexd runs as uid " +
                 std::to_string(geteuid()) + ")"};
  }
  if (initgroups(found->pw_name, found->pw_gid) != 0) return failed("initgroups");
  if (setgid(found->pw_gid) != 0) return failed("setgid");
  if (setuid(found->pw_uid) != 0) return failed("setuid");
  // Paranoia that costs nothing: the way back must be closed, and no exec may gain privileges.
  if (setuid(0) == 0) return Error{"could regain root after switching to '" + user + "'"};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return failed("PR_SET_NO_NEW_PRIVS");
  return Ok{};
}

Status give_to_user(const std::filesystem::path& path, const std::string& user) {
  auto ids = user_ids(user);
  if (!ids) return Error{ids.error()};
  if (geteuid() != 0) {
    if (geteuid() == ids->uid) return Ok{};
    return Error{"giving it to user '" + user + "' needs root"};
  }
  if (chown(path.c_str(), ids->uid, ids->gid) != 0) return failed("chown");
  return Ok{};
}

}  // namespace apex::server
